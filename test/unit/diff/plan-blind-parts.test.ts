import { describe, expect, it } from 'vitest';
import { planRecovery } from '../../../diff/plan-recovery.js';
import { aDesiredState, aLiveSession, anActualState, aSession } from '../../support/builders.js';

const policy = { incarnation: 'inc-2', instanceId: 'i-ours' };
const HUNG = 'the zellij server of session helios-a (pid 42) is stopped';

/** Desired a, b, c on zellij; zellij saw b live and could not ask a's server. */
function planWithHungA() {
  const desired = aDesiredState({
    sessions: ['a', 'b', 'c'].map((id) => aSession({ sessionId: id, multiplexer: 'zellij' })),
  });
  const actual = anActualState({
    sessions: {
      zellij: {
        status: 'ok',
        items: [aLiveSession({ name: 'helios-b', backend: 'zellij' })],
        blind: [{ name: 'helios-a', reason: HUNG }],
      },
    },
  });
  return planRecovery(desired, actual, policy);
}

describe('planRecovery over an observation with a blind part (one hung server)', () => {
  it('plans nothing over the blind session: it is blocked as unobservable, naming the server', () => {
    const plan = planWithHungA();
    expect(plan.actions.map((a) => a.key)).not.toContain('session:a');
    expect(plan.blocked).toMatchObject([
      {
        key: 'session:a',
        reason: 'observation_unavailable',
        message: expect.stringContaining(HUNG),
      },
    ]);
  });

  it('plans the sessions it could see as usual', () => {
    expect(planWithHungA().actions).toMatchObject([
      { kind: 'reattach', key: 'session:b' },
      { kind: 'respawn', key: 'session:c' },
    ]);
  });

  it('lists the blind part as unavailable, which holds destructive cleanup back', () => {
    expect(planWithHungA().unavailable).toEqual([`zellij sessions: ${HUNG}`]);
  });
});
