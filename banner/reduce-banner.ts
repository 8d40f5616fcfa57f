import { type Draft, produce } from 'immer';
import type { RecoveryEvent } from '../specs/events.js';
import type { Remedy } from '../specs/remedies.js';
import type { BannerState, LaneLine, SessionLine } from './banner-state.js';

/**
 * The pure reducer: banner state after a batch of events, in order. A session (or lane) has one
 * line, its newest outcome, in the place of its first one: a retried stage that reports its
 * blocked entries again does not count them twice. Linear in the state plus the batch, so a
 * caller that folds a burst at once (attachBanner, per frame) stays linear in the burst.
 */
export function reduceBannerEvents(
  state: BannerState,
  events: readonly RecoveryEvent[],
): BannerState {
  if (events.length === 0) return state;
  // Positions are read from the base state, not through the draft (no proxy per line).
  let sessionAt: Map<string, number> | undefined;
  let laneAt: Map<string, number> | undefined;
  return produce(state, (draft) => {
    for (const event of events) {
      switch (event.topic) {
        case 'recovery.session.restored': {
          const { sessionId, sessionName, status, shape, notRestarted, notes } = event.payload;
          sessionAt ??= new Map(state.sessions.map((line, i) => [line.sessionId, i]));
          upsert(draft.sessions, sessionAt, sessionId, {
            sessionId,
            sessionName,
            status,
            ...(shape ? { shape } : {}),
            ...(notRestarted ? { notRestarted: [...notRestarted] } : {}),
            ...(notes ? { notes: [...notes] } : {}),
          });
          break;
        }
        case 'recovery.session.failed': {
          const { sessionId, sessionName, reason, message, remedy } = event.payload;
          sessionAt ??= new Map(state.sessions.map((line, i) => [line.sessionId, i]));
          const line = { sessionId, sessionName, status: 'failed', reason, message, remedy };
          upsert(draft.sessions, sessionAt, sessionId, line as SessionLine);
          break;
        }
        case 'recovery.lane.reinventoried':
        case 'recovery.lane.failed': {
          laneAt ??= new Map(state.lanes.map((line, i) => [line.laneId, i]));
          const { laneId } = event.payload;
          const line: LaneLine =
            event.topic === 'recovery.lane.failed'
              ? {
                  laneId,
                  status: 'failed',
                  detail: event.payload.message,
                  remedy: event.payload.remedy,
                }
              : { laneId, status: 'reinventoried', detail: event.payload.worktreePath };
          upsert(draft.lanes, laneAt, laneId, line);
          break;
        }
        default:
          reduceOther(draft, event);
      }
    }
  });
}

/** The pure reducer: banner state after one event. */
export function reduceBanner(state: BannerState, event: RecoveryEvent): BannerState {
  return reduceBannerEvents(state, [event]);
}

/** Replaces the line of `id`, or appends it (assignments only: the draft copies the array once). */
function upsert<T>(lines: Draft<T[]>, at: Map<string, number>, id: string, line: T): void {
  const index = at.get(id);
  if (index !== undefined) {
    lines[index] = line as Draft<T>;
    return;
  }
  at.set(id, lines.length);
  lines.push(line as Draft<T>);
}

function reduceOther(draft: Draft<BannerState>, event: RecoveryEvent): void {
  switch (event.topic) {
    case 'recovery.stage.changed':
      draft.stage = event.payload.to;
      draft.stageReason = event.payload.reason ?? null;
      draft.stageRemedy = (event.payload.remedy ?? null) as Draft<Remedy> | null;
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
}
