import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareActions } from '../../../specs/plan.js';
import { planRecovery } from '../../../diff/plan-recovery.js';
import type { ActualState, MuxSession, WorktreeEntry } from '../../../specs/actual-state.js';
import {
  aDesiredState,
  aLane,
  aLiveSession,
  anActualState,
  aSession,
} from '../../support/builders.js';
import { simulateApply } from '../../support/simulate-apply.js';

const ids = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), {
  maxLength: 6,
});
const incarnation = fc.constantFrom('inc-1', 'inc-2');

/** A random world: desired sessions and lanes, and an actual state that may be anything. */
const world = fc
  .record({
    sessionIds: ids,
    laneIds: fc.uniqueArray(fc.constantFrom('l1', 'l2', 'l3'), { maxLength: 3 }),
    laneOf: fc.array(fc.option(fc.constantFrom('l1', 'l2', 'l3'), { nil: null }), {
      minLength: 8,
      maxLength: 8,
    }),
    backendOf: fc.array(fc.constantFrom('tmux' as const, 'zellij' as const), {
      minLength: 8,
      maxLength: 8,
    }),
    live: fc.array(
      fc.record({
        id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'x'),
        backend: fc.constantFrom('tmux' as const, 'zellij' as const),
        state: fc.constantFrom('live' as const, 'exited' as const),
        owner: fc.constantFrom(null, 'ws', 'other'),
        incarnation: fc.option(incarnation, { nil: null }),
      }),
      { maxLength: 10 },
    ),
    presentLanes: fc.uniqueArray(fc.constantFrom('l1', 'l2', 'l3')),
    missingCwds: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')),
    unavailable: fc.constantFrom(null, 'tmux' as const, 'zellij' as const),
    policy: incarnation,
  })
  .map((w) => {
    const desired = aDesiredState({
      lanes: w.laneIds.map((laneId) => aLane({ laneId })),
      sessions: w.sessionIds.map((sessionId, i) =>
        aSession({
          sessionId,
          laneId: (w.laneIds as string[]).includes(w.laneOf[i] ?? '') ? w.laneOf[i]! : null,
          multiplexer: w.backendOf[i]!,
        }),
      ),
    });
    const items = (backend: 'tmux' | 'zellij'): MuxSession[] =>
      w.live
        .filter((l) => l.backend === backend)
        .map((l) =>
          aLiveSession({
            backend,
            name: `helios-${l.id}`,
            state: backend === 'tmux' ? 'live' : l.state,
            workspaceId: l.owner,
            sessionId: l.owner === 'ws' ? l.id : null,
            incarnation: l.owner === 'ws' ? l.incarnation : null,
          }),
        );
    const worktrees: WorktreeEntry[] = w.presentLanes.map((laneId) => ({
      path: aLane({ laneId }).worktreePath,
      head: null,
      branch: aLane({ laneId }).branch,
      bare: false,
      detached: false,
      locked: false,
      prunable: false,
    }));
    const observe = (backend: 'tmux' | 'zellij') =>
      w.unavailable === backend
        ? { status: 'unavailable' as const, reason: 'timed out' }
        : { status: 'ok' as const, items: items(backend) };
    const actual: ActualState = anActualState({
      sessions: { tmux: observe('tmux'), zellij: observe('zellij') },
      repositories: { '/repo': { status: 'ok', items: worktrees } },
      missingPaths: w.missingCwds.map((id) => `/work/${id}`),
    });
    return { desired, actual, policy: { incarnation: w.policy, instanceId: 'i-ours' } };
  });

describe('planRecovery properties', () => {
  it('plans nothing more after its plan has been applied (level-triggered, idempotent)', () => {
    fc.assert(
      fc.property(world, ({ desired, actual, policy }) => {
        const plan = planRecovery(desired, actual, policy);
        const after = simulateApply(desired, actual, plan);
        expect(planRecovery(desired, after, policy).actions).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('orders every plan by wave, then key', () => {
    fc.assert(
      fc.property(world, ({ desired, actual, policy }) => {
        const { actions } = planRecovery(desired, actual, policy);
        for (let i = 1; i < actions.length; i += 1)
          expect(compareActions(actions[i - 1]!, actions[i]!)).toBeLessThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('accounts for every desired session: one action or one blocked item, else it is in sync', () => {
    fc.assert(
      fc.property(world, ({ desired, actual, policy }) => {
        const plan = planRecovery(desired, actual, policy);
        for (const session of desired.sessions) {
          const key = `session:${session.sessionId}`;
          const mentions =
            plan.actions.filter((a) => a.key === key).length +
            plan.blocked.filter((b) => b.key === key).length;
          const observation = actual.sessions[session.multiplexer];
          const inSync =
            observation?.status === 'ok' &&
            observation.items.some(
              (live) =>
                live.state === 'live' &&
                live.name === session.sessionName &&
                live.sessionId === session.sessionId &&
                live.incarnation === policy.incarnation,
            );
          expect(mentions, key).toBeLessThanOrEqual(1);
          expect(mentions === 1 || inSync, key).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never reattaches a session owned by another workspace nor acts on an unobserved backend', () => {
    fc.assert(
      fc.property(world, ({ desired, actual, policy }) => {
        const plan = planRecovery(desired, actual, policy);
        for (const action of plan.actions) {
          if (action.kind !== 'reattach' && action.kind !== 'respawn') continue;
          const observation = actual.sessions[action.backend];
          expect(observation?.status).toBe('ok');
          if (observation?.status !== 'ok') continue;
          const live = observation.items.find(
            (item) => item.name === action.session.sessionName && item.state === 'live',
          );
          expect(live?.workspaceId ?? 'ws').toBe('ws');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same inputs give the same plan', () => {
    fc.assert(
      fc.property(world, ({ desired, actual, policy }) => {
        expect(planRecovery(desired, actual, policy)).toEqual(
          planRecovery(desired, actual, policy),
        );
      }),
      { numRuns: 100 },
    );
  });
});
