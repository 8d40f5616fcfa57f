import { describe, expect, it } from 'vitest';
import { staleness } from '../../../controllers/recover/run-report.js';
import { mergeOutcomes, summarizeSessions } from '../../../controllers/session-results.js';
import { resolveStateDir } from '../../../controllers/workspace-config.js';
import { laneOfPath } from '../../../specs/lane-path.js';
import { sessionIdOf } from '../../../controllers/checkpoint/take-checkpoint.js';
import { configure } from '../../../controllers/compose.js';
import type { Outcome } from '../../../specs/outcome.js';
import type { Plan } from '../../../specs/plan.js';
import { aDesiredState, aSession } from '../../support/builders.js';

const plan = (overrides: Partial<Plan> = {}): Plan => ({
  apiVersion: 'helios.recovery/v1',
  kind: 'RecoveryPlan',
  workspaceId: 'ws',
  generation: 2,
  incarnation: 'i',
  fingerprint: 'f1',
  actions: [],
  blocked: [],
  unavailable: [],
  ...overrides,
});
const outcome = (
  key: string,
  status: Outcome['status'],
  extra: Partial<Outcome> = {},
): Outcome => ({
  key,
  kind: 'respawn',
  status,
  reason: 'r',
  message: 'm',
  durationMs: 1,
  ...extra,
});

describe('run report', () => {
  it('gives every checkpoint session a result, corrupt entries first', () => {
    const desired = aDesiredState({
      sessions: [
        aSession({ sessionId: 's1' }),
        aSession({ sessionId: 's2' }),
        aSession({ sessionId: 's3' }),
      ],
      corrupt: [
        { key: 'session:s9', kind: 'session', id: 's9', index: 3, detail: 'checksum mismatch' },
      ],
    });
    const results = summarizeSessions(
      desired,
      plan({
        actions: [
          {
            kind: 'respawn',
            key: 'session:s3',
            wave: 3,
            reason: 'no_live_session',
            backend: 'tmux',
            session: desired.sessions[2]!,
            replacesExited: false,
          },
        ],
      }),
      [
        outcome('session:s1', 'succeeded', { restoredAs: 'reattached' }),
        outcome('session:s9', 'failed', {
          message: 'corrupt',
          remedy: { code: 'recreate_entry', label: 's9' },
        }),
      ],
    );
    expect(results.map((r) => [r.sessionId, r.status])).toEqual([
      ['s9', 'failed'],
      ['s1', 'reattached'],
      ['s2', 'in_sync'],
      ['s3', 'pending'],
    ]);
    expect(results[0]).toMatchObject({
      reason: 'checkpoint_corrupt',
      remedy: { code: 'recreate_entry', label: 's9' },
    });
  });

  it('merges outcomes by key, the newest winning', () => {
    expect(
      mergeOutcomes(
        [outcome('a', 'failed'), outcome('b', 'succeeded')],
        [outcome('a', 'succeeded')],
      ).map((o) => [o.key, o.status]),
    ).toEqual([
      ['a', 'succeeded'],
      ['b', 'succeeded'],
    ]);
  });

  it('refuses a saved plan for another workspace, generation or observed state', () => {
    expect(staleness(plan(), plan())).toBeNull();
    expect(staleness(plan({ workspaceId: 'x' }), plan())).toMatch(/for workspace x/);
    expect(staleness(plan({ generation: 1 }), plan())).toMatch(
      /generation 1, the newest valid one is 2/,
    );
    expect(staleness(plan({ fingerprint: 'f0' }), plan())).toMatch(/observed state changed/);
  });
});

describe('workspace configuration', () => {
  it('puts state under XDG_STATE_HOME, else ~/.local/state, unless --state-dir says otherwise', () => {
    expect(resolveStateDir('ws', { XDG_STATE_HOME: '/x' })).toBe('/x/helios-recover/ws');
    expect(resolveStateDir('ws', { HOME: '/home/me' })).toBe(
      '/home/me/.local/state/helios-recover/ws',
    );
    expect(resolveStateDir('ws', {}, '/explicit')).toBe('/explicit');
  });

  it('validates the workspace id and the timeout at the boundary', () => {
    expect(configure({ workspace: 'ws-1' }, { HOME: '/h' })).toMatchObject({
      workspaceId: 'ws-1',
      backend: 'auto',
      timeoutMs: 10_000,
    });
    expect(() => configure({ workspace: '../etc' }, {})).toThrow(/invalid workspace id/);
    expect(() => configure({ timeoutMs: -1 }, {})).toThrow(/invalid timeout/);
  });

  it('derives lanes and session ids from paths and names', () => {
    expect(laneOfPath('/p/.helios-worktrees/lane-a/src')).toEqual({
      repository: '/p',
      laneId: 'lane-a',
      worktreePath: '/p/.helios-worktrees/lane-a',
    });
    expect(laneOfPath('/p/.helios-worktrees/lane-a')?.worktreePath).toBe(
      '/p/.helios-worktrees/lane-a',
    );
    expect(laneOfPath('/p/src')).toBeNull();
    const captured = {
      backend: 'tmux' as const,
      workspaceId: null,
      cwd: '/',
      environment: {},
      shellCommand: ['sh'],
      scrollback: '',
    };
    expect(sessionIdOf({ ...captured, name: 'helios-s1', sessionId: null })).toBe('s1');
    expect(sessionIdOf({ ...captured, name: 'my=work', sessionId: null })).toBe('my-work');
    expect(sessionIdOf({ ...captured, name: 'x', sessionId: 'tagged' })).toBe('tagged');
  });
});
