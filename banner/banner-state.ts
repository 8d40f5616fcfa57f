import { type Draft, produce } from 'immer';
import type { RecoveryEvent, RecoveryStage } from '../specs/events.js';

export interface SessionLine {
  readonly sessionId: string;
  readonly sessionName: string;
  readonly status: 'reattached' | 'respawned' | 'failed';
  readonly reason?: string;
  readonly message?: string;
  readonly suggestion?: string;
}

export interface LaneLine {
  readonly laneId: string;
  readonly status: 'reinventoried' | 'failed';
  readonly detail: string;
  readonly suggestion?: string;
}

/** Everything the banner shows, folded from the event stream. */
export interface BannerState {
  readonly stage: RecoveryStage | null;
  readonly stageReason: string | null;
  readonly crash: string | null;
  readonly checkpointsFound: number | null;
  readonly generation: number | null;
  readonly warnings: readonly string[];
  /** Sessions the plan covers (restorable + blocked); null before the plan is known. */
  readonly sessionsTotal: number | null;
  readonly sessions: readonly SessionLine[];
  readonly lanes: readonly LaneLine[];
  /** Wave 4 counts; null until orphans were reconciled. */
  readonly orphans: { terminated: number; removed: number; reviewPending: number } | null;
  /** Why safe mode is on (crash loop), or null. */
  readonly safeMode: string | null;
  readonly done: boolean;
  readonly withIssues: boolean;
  readonly durationMs: number | null;
}

export const INITIAL_BANNER: BannerState = {
  stage: null,
  stageReason: null,
  crash: null,
  checkpointsFound: null,
  generation: null,
  warnings: [],
  sessionsTotal: null,
  sessions: [],
  lanes: [],
  orphans: null,
  safeMode: null,
  done: false,
  withIssues: false,
  durationMs: null,
};

/** Sessions with a final outcome so far ("M of N complete"). */
export function completedCount(state: BannerState): number {
  return state.sessions.length;
}

/** The pure reducer: banner state after one event. */
export const reduceBanner = produce((draft: Draft<BannerState>, event: RecoveryEvent) => {
  switch (event.topic) {
    case 'recovery.stage.changed':
      draft.stage = event.payload.to;
      draft.stageReason = event.payload.reason ?? null;
      break;
    case 'recovery.crash.detected':
      draft.crash = event.payload.reason;
      break;
    case 'recovery.checkpoint.loaded':
      draft.checkpointsFound = event.payload.checkpointsFound;
      draft.generation = event.payload.generation;
      draft.warnings = [...event.payload.warnings];
      break;
    case 'recovery.plan.computed':
      draft.sessionsTotal = event.payload.sessionsTotal;
      break;
    case 'recovery.session.restored':
      draft.sessions = [
        ...draft.sessions,
        {
          sessionId: event.payload.sessionId,
          sessionName: event.payload.sessionName,
          status: event.payload.status,
        },
      ];
      break;
    case 'recovery.session.failed': {
      const { sessionId, sessionName, reason, message, suggestion } = event.payload;
      draft.sessions = [
        ...draft.sessions,
        { sessionId, sessionName, status: 'failed', reason, message, suggestion },
      ];
      break;
    }
    case 'recovery.lane.reinventoried':
      draft.lanes = [
        ...draft.lanes,
        {
          laneId: event.payload.laneId,
          status: 'reinventoried',
          detail: event.payload.worktreePath,
        },
      ];
      break;
    case 'recovery.lane.failed':
      draft.lanes = [
        ...draft.lanes,
        {
          laneId: event.payload.laneId,
          status: 'failed',
          detail: event.payload.message,
          suggestion: event.payload.suggestion,
        },
      ];
      break;
    case 'recovery.orphans.cleaned':
      draft.orphans = { ...event.payload };
      break;
    case 'recovery.safemode.entered':
      draft.safeMode = event.payload.reason;
      break;
    case 'recovery.safemode.exited':
      draft.safeMode = null;
      break;
    case 'recovery.completed':
      draft.done = true;
      draft.withIssues = event.payload.withIssues;
      draft.durationMs = event.payload.durationMs;
      break;
  }
});
