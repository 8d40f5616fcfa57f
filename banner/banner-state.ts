import type { CleanupCounts, RecoveryStage } from '../specs/events.js';
import type { Remedy } from '../specs/remedies.js';

export interface SessionLine {
  readonly sessionId: string;
  readonly sessionName: string;
  readonly status: 'reattached' | 'respawned' | 'repaired' | 'failed';
  readonly shape?: { readonly windows: number; readonly panes: number } | undefined;
  readonly notRestarted?: readonly string[] | undefined;
  readonly notes?: readonly string[] | undefined;
  readonly reason?: string;
  readonly message?: string;
  readonly remedy?: Remedy | undefined;
}

export interface LaneLine {
  readonly laneId: string;
  readonly status: 'reinventoried' | 'failed';
  readonly detail: string;
  readonly remedy?: Remedy | undefined;
}

/** Everything the banner shows, folded from the event stream (one line per session and lane). */
export interface BannerState {
  readonly stage: RecoveryStage | null;
  readonly stageReason: string | null;
  /** What the operator can do about a failed stage, or null. */
  readonly stageRemedy: Remedy | null;
  readonly crash: string | null;
  readonly checkpointsFound: number | null;
  readonly generation: number | null;
  readonly warnings: readonly string[];
  /** Sessions the plan covers (restorable + blocked); null before the plan is known. */
  readonly sessionsTotal: number | null;
  readonly sessions: readonly SessionLine[];
  readonly lanes: readonly LaneLine[];
  /** Wave 4 counts; null until orphans were reconciled. */
  readonly orphans: CleanupCounts | null;
  /** Why safe mode is on (crash loop), or null. */
  readonly safeMode: string | null;
  /** Why the state dir could not be written this run, or null. */
  readonly stateUnsaved: string | null;
  readonly done: boolean;
  readonly withIssues: boolean;
  readonly durationMs: number | null;
}

export const INITIAL_BANNER: BannerState = {
  stage: null,
  stageReason: null,
  stageRemedy: null,
  crash: null,
  checkpointsFound: null,
  generation: null,
  warnings: [],
  sessionsTotal: null,
  sessions: [],
  lanes: [],
  orphans: null,
  safeMode: null,
  stateUnsaved: null,
  done: false,
  withIssues: false,
  durationMs: null,
};

/**
 * Sessions with a final outcome so far ("M of N complete"): each session once (the reducer keeps
 * one line per session), and never more than the total the plan announced.
 */
export function completedCount(state: BannerState): number {
  const done = state.sessions.length;
  return state.sessionsTotal === null ? done : Math.min(done, state.sessionsTotal);
}

/**
 * Progress of the restore, counting only the work that remains: sessions found live and
 * reattached are `live`, not work, so "M of N" runs over the sessions the restore makes again
 * (respawns, repairs) or fails; `total` is null before the plan says how many there are.
 */
export function restoreProgress(state: BannerState): {
  readonly done: number;
  readonly failed: number;
  readonly restored: number;
  readonly total: number | null;
  readonly live: number;
} {
  let live = 0;
  let failed = 0;
  for (const line of state.sessions) {
    if (line.status === 'reattached') live += 1;
    else if (line.status === 'failed') failed += 1;
  }
  const worked = state.sessions.length - live;
  const total = state.sessionsTotal === null ? null : Math.max(0, state.sessionsTotal - live);
  const done = total === null ? worked : Math.min(worked, total);
  failed = Math.min(failed, done);
  return { done, failed, restored: done - failed, total, live };
}
