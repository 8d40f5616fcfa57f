import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../controllers/reconcile.js';
import { createEventBus } from '../../../controllers/event-bus.js';
import { sealCheckpoint } from '../../../specs/checkpoint-codec.js';
import type { RecoveryEvent } from '../../../specs/events.js';
import type { Outcome } from '../../../specs/outcome.js';
import { PLAN_API_VERSION, type Action, type Plan } from '../../../specs/plan.js';
import { createFakeWorkspace } from '../../fakes/fake-workspace.js';

const sealed = sealCheckpoint({
  workspaceId: 'fake',
  generation: 1,
  createdAt: '2026-11-30T12:00:00.000Z',
  host: 'fake',
  sessions: ['a', 'b'].map((id) => ({
    sessionId: id,
    terminalId: id,
    laneId: null,
    multiplexer: 'tmux' as const,
    sessionName: `helios-${id}`,
    workingDirectory: '/',
    environment: {},
    shellCommand: ['/bin/sh'],
    scrollback: '',
  })),
  lanes: [
    { laneId: 'l1', repository: '/r', worktreePath: '/r/.helios-worktrees/l1', branch: 'main' },
  ],
  shareWorkers: [],
});
const [a, b] = sealed.sessions as [(typeof sealed.sessions)[0], (typeof sealed.sessions)[0]];

const plan = (actions: Action[]): Plan => ({
  apiVersion: PLAN_API_VERSION,
  kind: 'RecoveryPlan',
  workspaceId: 'fake',
  generation: 1,
  incarnation: 'inc-1',
  fingerprint: 'f',
  actions,
  blocked: [
    {
      key: 'session:c',
      subject: 'session',
      id: 'c',
      label: 'helios-c',
      reason: 'cwd_missing',
      message: 'directory /gone no longer exists',
      remedy: { code: 'create_directory', path: '/gone', sessionName: 'helios-c' },
    },
  ],
  unavailable: [],
});

describe('applyPlan (the reconcile contract), on a fake world', () => {
  it('reports blocked items first, then applies wave by wave, one event and one outcome each', async () => {
    const ws = createFakeWorkspace();
    try {
      ws.fake.failRespawn('helios-b', 'exited at once');
      const bus = createEventBus();
      const events: RecoveryEvent[] = [];
      bus.events$.subscribe((event) => events.push(event));
      const seen: Outcome[] = [];
      const outcomes = await applyPlan(
        ws.config.world!,
        plan([
          {
            kind: 'respawn',
            key: 'session:b',
            wave: 3,
            reason: 'no_live_session',
            backend: 'tmux',
            session: b,
            replacesExited: false,
          },
          {
            kind: 'reinventory',
            key: 'lane:l1',
            wave: 2,
            reason: 'lane_present',
            lane: sealed.lanes[0]!,
          },
          {
            kind: 'respawn',
            key: 'session:a',
            wave: 3,
            reason: 'no_live_session',
            backend: 'tmux',
            session: a,
            replacesExited: false,
          },
          {
            kind: 'flag',
            key: 'pid:77@1',
            wave: 4,
            reason: 'orphan_unproven',
            reviewId: 'r-0000abcd',
            subject: 'process',
            detail: 'pid 77',
          },
        ]),
        { ...ws.config, incarnation: 'inc-1' },
        bus,
        async (outcome) => void seen.push(outcome),
      );
      expect(outcomes.map((o) => [o.key, o.status])).toEqual([
        ['session:c', 'failed'],
        ['lane:l1', 'succeeded'],
        ['session:b', 'failed'],
        ['session:a', 'succeeded'],
        ['pid:77@1', 'succeeded'],
      ]);
      expect(seen).toEqual(outcomes);
      expect(ws.fake.executed.map((action) => action.key)).toEqual([
        'lane:l1',
        'session:b',
        'session:a',
        'pid:77@1',
      ]);
      expect(events.map((e) => e.topic)).toEqual([
        'recovery.session.failed',
        'recovery.lane.reinventoried',
        'recovery.session.failed',
        'recovery.session.restored',
        'recovery.orphan.flagged',
      ]);
      expect(events[0]!.payload).toMatchObject({
        sessionId: 'c',
        reason: 'cwd_missing',
        remedy: { code: 'create_directory', path: '/gone', sessionName: 'helios-c' },
      });
      expect(events[2]!.payload).toMatchObject({
        sessionId: 'b',
        reason: 'exited_immediately',
        message: 'exited at once',
      });
      expect(events[3]!.payload).toMatchObject({ sessionId: 'a', status: 'respawned' });
    } finally {
      ws.cleanup();
    }
  });
});
