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
 * The finished sessions split into failed and restored: at most `completedCount` in all, so
 * "R of N restored, F failed" never adds up to more than N (an outcome the total does not count,
 * such as a corrupt share worker entry reported as a failed session, is not shown as extra).
 */
export function outcomeCounts(state: BannerState): { failed: number; restored: number } {
  const done = completedCount(state);
  let failed = 0;
  for (const line of state.sessions) if (line.status === 'failed') failed += 1;
  failed = Math.min(failed, done);
  return { failed, restored: done - failed };
}
