import { type Draft, produce } from 'immer';
import type { RecoveryEvent } from '../specs/events.js';
import type { BannerState } from './banner-state.js';

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
      draft.orphans = { ...event.payload, held: event.payload.held && [...event.payload.held] };
      break;
    case 'recovery.safemode.entered':
      draft.safeMode = event.payload.reason;
      break;
    case 'recovery.state.unsaved':
      draft.stateUnsaved = event.payload.reason;
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
