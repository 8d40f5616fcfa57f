import type { EventPayloads, RecoveryEvent, Topic } from '../../specs/events.js';

let counter = 0;

/** An event envelope for pure tests (fixed timestamp). */
export function anEvent<T extends Topic>(topic: T, payload: EventPayloads[T]): RecoveryEvent {
  counter += 1;
  return {
    id: `e${counter}`,
    type: 'event',
    ts: '2026-11-24T10:00:00.000Z',
    topic,
    payload,
  } as RecoveryEvent;
}

/** The events of a recovery with 3 sessions: 2 restored, 1 failed. */
export function aRecoveryWithOneFailure(missingDir = '/x'): RecoveryEvent[] {
  return [
    anEvent('recovery.stage.changed', { from: null, to: 'DETECTING', attempt: 1 }),
    anEvent('recovery.crash.detected', { reason: 'lock holder pid 42 is gone', previousPid: 42 }),
    anEvent('recovery.stage.changed', { from: 'DETECTING', to: 'INVENTORYING', attempt: 1 }),
    anEvent('recovery.checkpoint.loaded', {
      generation: 3,
      source: '/s/checkpoint.json',
      sessions: 3,
      corrupt: 0,
      checkpointsFound: 4,
      warnings: [],
    }),
    anEvent('recovery.plan.computed', { actions: 2, blocked: 1, sessionsTotal: 3 }),
    anEvent('recovery.stage.changed', { from: 'INVENTORYING', to: 'RESTORING', attempt: 1 }),
    anEvent('recovery.session.failed', {
      sessionId: 's3',
      sessionName: 'helios-s3',
      reason: 'cwd_missing',
      message: `directory ${missingDir} no longer exists`,
      remedy: { code: 'create_directory', path: missingDir, sessionName: 'helios-s3' },
    }),
    anEvent('recovery.session.restored', {
      sessionId: 's1',
      sessionName: 'helios-s1',
      status: 'reattached',
    }),
    anEvent('recovery.session.restored', {
      sessionId: 's2',
      sessionName: 'helios-s2',
      status: 'respawned',
    }),
    anEvent('recovery.lane.reinventoried', {
      laneId: 'lane-a',
      worktreePath: '/r/.helios-worktrees/lane-a',
      branch: 'b',
    }),
    anEvent('recovery.stage.changed', { from: 'RESTORING', to: 'RECONCILING', attempt: 1 }),
    anEvent('recovery.stage.changed', { from: 'RECONCILING', to: 'LIVE', attempt: 1 }),
    anEvent('recovery.completed', {
      stage: 'LIVE',
      restored: 2,
      failed: 1,
      withIssues: true,
      durationMs: 1234,
    }),
  ];
}
