import { describe, expect, it } from 'vitest';
import { planRecovery } from '../../../diff/plan-recovery.js';
import {
  aDesiredState,
  aLane,
  aLiveSession,
  anActualState,
  aSession,
} from '../../support/builders.js';

const policy = { incarnation: 'inc-2', instanceId: 'i-ours' };

describe('planRecovery', () => {
  it('respawns a session that has no live multiplexer session', () => {
    const desired = aDesiredState({ sessions: [aSession({ sessionId: 's1' })] });
    const plan = planRecovery(desired, anActualState(), policy);
    expect(plan.actions).toMatchObject([
      { kind: 'respawn', key: 'session:s1', reason: 'no_live_session', wave: 3 },
    ]);
    expect(plan.blocked).toEqual([]);
  });

  it('reattaches a survivor that is not bound to this incarnation instead of respawning it', () => {
    const desired = aDesiredState({ sessions: [aSession({ sessionId: 's1' })] });
    const actual = anActualState({
      sessions: {
        tmux: {
          status: 'ok',
          items: [
            aLiveSession({
              name: 'helios-s1',
              workspaceId: 'ws',
              sessionId: 's1',
              incarnation: 'inc-1',
            }),
          ],
        },
      },
    });
    const plan = planRecovery(desired, actual, policy);
    expect(plan.actions).toMatchObject([{ kind: 'reattach', reason: 'session_survived', wave: 1 }]);
  });

  it('has nothing to do for a session already bound to this incarnation', () => {
    const desired = aDesiredState({ sessions: [aSession({ sessionId: 's1' })] });
    const actual = anActualState({
      sessions: {
        tmux: {
          status: 'ok',
          items: [
            aLiveSession({
              name: 'helios-s1',
              workspaceId: 'ws',
              sessionId: 's1',
              incarnation: 'inc-2',
            }),
          ],
        },
      },
    });
    expect(planRecovery(desired, actual, policy).actions).toEqual([]);
  });

  it('matches session names exactly, never by prefix', () => {
    const desired = aDesiredState({ sessions: [aSession({ sessionId: 's1' })] });
    const actual = anActualState({
      sessions: { tmux: { status: 'ok', items: [aLiveSession({ name: 'helios-s10' })] } },
    });
    expect(planRecovery(desired, actual, policy).actions).toMatchObject([{ kind: 'respawn' }]);
  });

  it('refuses to adopt a live session of the same name owned by another workspace', () => {
    const desired = aDesiredState({ sessions: [aSession({ sessionId: 's1' })] });
    const actual = anActualState({
      sessions: {
        tmux: { status: 'ok', items: [aLiveSession({ name: 'helios-s1', workspaceId: 'other' })] },
      },
    });
    const plan = planRecovery(desired, actual, policy);
    expect(plan.actions).toEqual([]);
    expect(plan.blocked).toMatchObject([{ key: 'session:s1', reason: 'name_in_use' }]);
  });

  it('replaces an exited zellij session of the same name when respawning', () => {
    const desired = aDesiredState({
      sessions: [aSession({ sessionId: 's1', multiplexer: 'zellij' })],
    });
    const actual = anActualState({
      sessions: {
        zellij: {
          status: 'ok',
          items: [aLiveSession({ name: 'helios-s1', backend: 'zellij', state: 'exited' })],
        },
      },
    });
    expect(planRecovery(desired, actual, policy).actions).toMatchObject([
      { kind: 'respawn', replacesExited: true },
    ]);
  });

  it('blocks a session whose working directory is gone with cwd_missing and a remedy', () => {
    const desired = aDesiredState({
      sessions: [aSession({ sessionId: 's1', workingDirectory: '/gone' })],
    });
    const plan = planRecovery(desired, anActualState({ missingPaths: ['/gone'] }), policy);
    expect(plan.actions).toEqual([]);
    expect(plan.blocked[0]).toMatchObject({ reason: 'cwd_missing', label: 'helios-s1' });
    expect(plan.blocked[0]!.remedy).toEqual({
      code: 'create_directory',
      path: '/gone',
      sessionName: 'helios-s1',
    });
  });

  it('says openly that a backend could not be observed instead of respawning everything', () => {
    const desired = aDesiredState({ sessions: [aSession({ sessionId: 's1' })] });
    const actual = anActualState({
      sessions: { tmux: { status: 'unavailable', reason: 'tmux timed out after 5000 ms' } },
    });
    const plan = planRecovery(desired, actual, policy);
    expect(plan.actions).toEqual([]);
    expect(plan.blocked).toMatchObject([{ reason: 'observation_unavailable' }]);
    expect(plan.unavailable).toEqual(['tmux sessions: tmux timed out after 5000 ms']);
  });

  it('reinventories a present lane and fails a missing lane with its sessions', () => {
    const present = aLane({ laneId: 'a' });
    const gone = aLane({ laneId: 'b' });
    const desired = aDesiredState({
      lanes: [present, gone],
      sessions: [
        aSession({ sessionId: 's1', laneId: 'a' }),
        aSession({ sessionId: 's2', laneId: 'b' }),
      ],
    });
    const actual = anActualState({
      repositories: {
        '/repo': {
          status: 'ok',
          items: [
            {
              path: present.worktreePath,
              head: 'abc',
              branch: present.branch,
              bare: false,
              detached: false,
              locked: false,
              prunable: false,
            },
          ],
        },
      },
      missingPaths: [gone.worktreePath],
    });
    const plan = planRecovery(desired, actual, policy);
    expect(plan.actions.map((a) => `${a.kind} ${a.key}`)).toEqual([
      'reinventory lane:a',
      'respawn session:s1',
    ]);
    expect(plan.blocked.map((b) => `${b.key} ${b.reason}`)).toEqual([
      'lane:b lane_missing',
      'session:s2 lane_missing',
    ]);
  });

  it('fails a corrupt entry alone with checkpoint_corrupt', () => {
    const desired = aDesiredState({
      sessions: [aSession({ sessionId: 's1' })],
      corrupt: [
        { key: 'session:s2', kind: 'session', id: 's2', index: 1, detail: 'checksum mismatch' },
      ],
    });
    const plan = planRecovery(desired, anActualState(), policy);
    expect(plan.actions).toMatchObject([{ key: 'session:s1', kind: 'respawn' }]);
    expect(plan.blocked).toMatchObject([{ key: 'session:s2', reason: 'checkpoint_corrupt' }]);
  });

  it('orders waves reattach, reinventory, respawn whatever the input order', () => {
    const lane = aLane({ laneId: 'a' });
    const desired = aDesiredState({
      lanes: [lane],
      sessions: [aSession({ sessionId: 'z' }), aSession({ sessionId: 'a' })],
    });
    const actual = anActualState({
      sessions: { tmux: { status: 'ok', items: [aLiveSession({ name: 'helios-z' })] } },
      repositories: {
        '/repo': {
          status: 'ok',
          items: [
            {
              path: lane.worktreePath,
              head: null,
              branch: lane.branch,
              bare: false,
              detached: false,
              locked: false,
              prunable: false,
            },
          ],
        },
      },
    });
    expect(planRecovery(desired, actual, policy).actions.map((a) => a.kind)).toEqual([
      'reattach',
      'reinventory',
      'respawn',
    ]);
  });

  it('gives the same fingerprint for the same observation and a different one after a change', () => {
    const desired = aDesiredState({ sessions: [aSession({ sessionId: 's1' })] });
    const before = planRecovery(desired, anActualState(), policy);
    const again = planRecovery(desired, anActualState(), policy);
    const changed = planRecovery(
      desired,
      anActualState({
        sessions: { tmux: { status: 'ok', items: [aLiveSession({ name: 'helios-s1' })] } },
      }),
      policy,
    );
    expect(again.fingerprint).toBe(before.fingerprint);
    expect(changed.fingerprint).not.toBe(before.fingerprint);
  });

  it('puts every session on the backend the policy forces', () => {
    const desired = aDesiredState({
      sessions: [aSession({ sessionId: 's1', multiplexer: 'zellij' })],
    });
    const plan = planRecovery(desired, anActualState(), { ...policy, backend: 'tmux' });
    expect(plan.actions).toMatchObject([{ kind: 'respawn', backend: 'tmux' }]);
  });
});
