import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRecovery } from '../../../diff/plan-recovery.js';
import { reviewIdOf } from '../../../diff/plan-orphans.js';
import { simulateApply } from '../../support/simulate-apply.js';
import { hasLiveAncestor, OURS, UID, world } from './orphan-worlds.js';

describe('wave 4 properties', () => {
  it('terminates only ledger processes of this instance, and signals a group only when all of it is', () => {
    fc.assert(
      fc.property(world, ({ desired, actual, scan, policy }) => {
        const ledger = scan.ledger.status === 'ok' ? scan.ledger.items : [];
        const recorded = (p: { pid: number; startTime: number }) =>
          ledger.some(
            (e) => e.pid === p.pid && e.startTime === p.startTime && e.instanceId === OURS,
          );
        for (const action of planRecovery(desired, actual, policy).actions) {
          if (action.kind !== 'terminate' || action.target.type !== 'process') continue;
          const { pid, startTime, pgid } = action.target;
          const items = scan.processes.status === 'ok' ? scan.processes.items : [];
          const p = items.find((item) => item.pid === pid)!;
          expect(recorded({ pid, startTime })).toBe(true);
          const entry = ledger.find((e) => e.pid === pid && e.startTime === startTime)!;
          // Still what was recorded, and for a share worker, its host is gone.
          expect(p.argv).toEqual(entry.argv);
          if (entry.role === 'share-worker')
            expect(
              scan.tree.some(
                (edge) => edge.pid === entry.host?.pid && edge.startTime === entry.host?.startTime,
              ),
            ).toBe(false);
          expect(p.workspaceId === null || p.workspaceId === 'ws').toBe(true);
          expect(p.instanceId === null || p.instanceId === OURS).toBe(true);
          expect(p.uid).toBe(UID);
          expect(scan.protectedPids).not.toContain(pid);
          expect(hasLiveAncestor(scan, pid)).toBe(false);
          expect(scan.liveSessions[0]!.pids).not.toContain(pid);
          expect(p.sessionId === 's1' && startTime >= 500).toBe(false);
          // A group is signalled only when every live member is a ledger entry of ours.
          if (pgid === pid) {
            const members = scan.tree.filter((edge) => edge.pgid === pid);
            for (const member of members) {
              const scanned = items.find((item) => item.pid === member.pid)!;
              expect(recorded(scanned)).toBe(true);
              expect(scanned.uid).toBe(UID);
              expect(scan.protectedPids).not.toContain(member.pid);
              expect(hasLiveAncestor(scan, member.pid)).toBe(false);
            }
            expect(action.target.group?.map((m) => m.pid).sort()).toEqual(
              members.map((m) => m.pid).sort(),
            );
          } else expect(action.target.group).toBeUndefined();
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('terminates and removes nothing while any observation cleanup depends on is unavailable', () => {
    fc.assert(
      fc.property(world, ({ desired, actual, policy, blind }) => {
        const destructive = planRecovery(desired, actual, policy).actions.filter(
          (action) => action.kind === 'terminate' || action.kind === 'remove',
        );
        if (blind) expect(destructive).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('prunes a live tagged session only when asked, and never one of another instance', () => {
    fc.assert(
      fc.property(world, ({ desired, actual, policy }) => {
        const sessions = actual.sessions.tmux?.status === 'ok' ? actual.sessions.tmux.items : [];
        for (const action of planRecovery(desired, actual, policy).actions) {
          if (action.kind !== 'terminate' || action.target.type !== 'session') continue;
          const { name } = action.target;
          expect(policy.prune).toBe(true);
          expect(name).not.toBe('helios-s1');
          const live = sessions.filter((s) => s.name === name);
          expect(live.every((s) => s.workspaceId === 'ws' && s.instanceId === OURS)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('leaves other workspaces alone entirely and only ever flags lanes', () => {
    fc.assert(
      fc.property(world, ({ desired, actual, scan, policy }) => {
        const foreign = new Set(
          scan.processes.status === 'ok'
            ? scan.processes.items
                .filter((p) => p.workspaceId === 'other' || p.instanceId === 'i-theirs')
                .filter(
                  (p) =>
                    scan.ledger.status !== 'ok' ||
                    !scan.ledger.items.some(
                      (e) =>
                        e.pid === p.pid && e.startTime === p.startTime && e.instanceId === OURS,
                    ),
                )
                .map((p) => `pid:${p.pid}@${p.startTime}`)
            : [],
        );
        for (const action of planRecovery(desired, actual, policy).actions) {
          expect(foreign.has(action.key)).toBe(false);
          if (action.key.startsWith('lane-abandoned:')) expect(action.kind).toBe('flag');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('plans no cleanup after its cleanup was applied', () => {
    fc.assert(
      fc.property(world, ({ desired, actual, policy, blind }) => {
        fc.pre(!blind); // blind cleanup is held back: it is planned again once it can see
        const plan = planRecovery(desired, actual, policy);
        expect(planRecovery(desired, simulateApply(desired, actual, plan), policy).actions).toEqual(
          [],
        );
      }),
      { numRuns: 500 },
    );
  });

  it('gives review items stable short ids', () => {
    expect(reviewIdOf('lane-abandoned:/repo/x')).toBe(reviewIdOf('lane-abandoned:/repo/x'));
    expect(reviewIdOf('lane-abandoned:/repo/x')).toMatch(/^r-[0-9a-f]{8}$/);
    expect(reviewIdOf('a')).not.toBe(reviewIdOf('b'));
  });
});

describe('wave 4 regressions found by the properties', () => {
  it('flags now what stays in a group that is not signalled as a whole (a guarded member)', async () => {
    // fast-check seed 2091889004: a share worker leading a group that also holds a protected
    // pid and another marked shell; only the leader is signalled, so the shell stays and must
    // be in this plan's review list, not discovered by the next pass.
    const { readFileSync } = await import('node:fs');
    const world = JSON.parse(
      readFileSync(new URL('./fixtures/guarded-share-worker-group.json', import.meta.url), 'utf8'),
    ) as Parameters<typeof simulateApply>[0] extends infer D
      ? {
          desired: D;
          actual: Parameters<typeof simulateApply>[1];
          policy: Parameters<typeof planRecovery>[2];
        }
      : never;
    const plan = planRecovery(world.desired, world.actual, world.policy);
    expect(plan.actions.map((a) => `${a.kind} ${a.key}`)).toContainEqual(
      expect.stringMatching(/^flag .*12/),
    );
    const after = simulateApply(world.desired, world.actual, plan);
    expect(planRecovery(world.desired, after, world.policy).actions).toEqual([]);
  });
});
