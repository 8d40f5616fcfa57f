import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRecovery } from '../../../diff/plan-recovery.js';
import { reviewIdOf } from '../../../diff/plan-orphans.js';
import type { OrphanScan, ScannedProcess } from '../../../specs/orphans.js';
import {
  aDesiredState,
  aLane,
  aLiveSession,
  anActualState,
  aSession,
} from '../../support/builders.js';
import { simulateApply } from '../../support/simulate-apply.js';

const UID = 1000;
const OURS = 'i-ours';

/**
 * A random process forest: pids 2..80 with a parent among the earlier pids (or init), some of
 * them multiplexer servers, random owners, instances, roles, session and group leadership.
 */
const process = fc.record({
  parentIndex: fc.option(fc.nat(), { nil: null }),
  startTime: fc.integer({ min: 1, max: 1000 }),
  owner: fc.constantFrom('ws', 'other', null),
  instance: fc.constantFrom(OURS, 'i-theirs', null),
  uid: fc.constantFrom(UID, UID, 0, 1001, -1),
  environReadable: fc.boolean(),
  sessionId: fc.option(fc.constantFrom('s1', 's2', 'gone'), { nil: null }),
  role: fc.constantFrom('shell', 'share-worker', null),
  leadsSession: fc.boolean(),
  leadsGroup: fc.boolean(),
  command: fc.constantFrom('shell', 'launcher', 'namesUs', 'other'),
  server: fc.constantFrom(false, false, false, true),
});

/** A random orphan scan around one live session (s1, pane pid 100 started at time 500). */
const world = fc
  .record({
    processes: fc.array(process, { maxLength: 14 }),
    protectedPids: fc.uniqueArray(fc.integer({ min: 2, max: 20 }), { maxLength: 3 }),
    sessionPids: fc.uniqueArray(fc.integer({ min: 2, max: 20 }), { maxLength: 4 }),
    staleSessions: fc.uniqueArray(
      fc.record({
        name: fc.constantFrom('helios-x', 'helios-y', 'misc'),
        owner: fc.constantFrom('ws', 'other', null),
        instance: fc.constantFrom(OURS, 'i-theirs', null),
      }),
      { maxLength: 3, selector: (s) => s.name }, // a server's session names are unique
    ),
    prune: fc.boolean(),
    extraLanes: fc.uniqueArray(fc.constantFrom('lx', 'ly'), { maxLength: 2 }),
    temp: fc.array(
      fc.record({
        name: fc.constantFrom('a.tmp', 'b.tmp'),
        ageMs: fc.integer({ min: 0, max: 90_000 }),
        hasLiveWriter: fc.boolean(),
      }),
      { maxLength: 2 },
    ),
    blind: fc.constantFrom(
      'none',
      'none',
      'none',
      'tmux',
      'processes',
      'worktrees',
      'review',
      'temp',
    ),
  })
  .map((w) => {
    const desired = aDesiredState({
      sessions: [
        aSession({ sessionId: 's1' }),
        aSession({ sessionId: 's2', shellCommand: ['/bin/bash', '-l'] }),
      ],
      lanes: [aLane({ laneId: 'l1' })],
    });
    const pids = w.processes.map((_, i) => 2 + i * 5);
    const argvOf = (command: string, sessionId: string | null) =>
      command === 'shell'
        ? sessionId === 's2'
          ? ['/bin/bash', '-l']
          : ['/bin/bash']
        : command === 'launcher' || command === 'namesUs'
          ? ['/bin/sh', `/state/launch/${sessionId ?? 'x'}.sh`]
          : ['sleep', '9'];
    const processes: ScannedProcess[] = w.processes.map((p, i) => {
      const pid = pids[i]!;
      const ppid = p.parentIndex === null || i === 0 ? 1 : pids[p.parentIndex % i]!;
      return {
        pid,
        ppid,
        pgid: p.leadsGroup || p.leadsSession ? pid : ppid,
        sid: p.leadsSession ? pid : ppid,
        uid: p.uid,
        startTime: p.startTime,
        argv: argvOf(p.command, p.sessionId),
        environReadable: p.owner !== null || p.environReadable,
        workspaceId: p.owner,
        instanceId: p.owner ? p.instance : null,
        sessionId: p.owner ? p.sessionId : null,
        shareId: p.role === 'share-worker' ? 'sh1' : null,
        role: p.owner ? p.role : null,
      };
    });
    const unavailable = { status: 'unavailable' as const, reason: 'timed out' };
    const scan: OrphanScan = {
      processes: w.blind === 'processes' ? unavailable : { status: 'ok', items: processes },
      tree: processes.map(({ pid, ppid }) => ({ pid, ppid })),
      multiplexerServers: processes.filter((_, i) => w.processes[i]!.server).map((p) => p.pid),
      uid: UID,
      liveSessions: [
        {
          backend: 'tmux',
          name: 'helios-s1',
          sessionId: 's1',
          pids: [100, ...w.sessionPids],
          paneStartTime: 500,
        },
      ],
      protectedPids: [1, ...w.protectedPids],
      worktrees:
        w.blind === 'worktrees'
          ? unavailable
          : {
              status: 'ok',
              items: ['l1', ...w.extraLanes].map((laneId) => ({
                repository: '/repo',
                path: aLane({ laneId }).worktreePath,
                laneId,
                branch: laneId,
                dirty: true,
                unpushed: 0,
              })),
            },
      review: w.blind === 'review' ? unavailable : { status: 'ok', items: [] },
      stateDir: '/state',
    };
    const sessions = [
      aLiveSession({
        name: 'helios-s1',
        workspaceId: 'ws',
        sessionId: 's1',
        incarnation: 'inc',
        panePid: 100,
      }),
      ...w.staleSessions.map((s) =>
        aLiveSession({ name: s.name, workspaceId: s.owner, instanceId: s.owner && s.instance }),
      ),
    ];
    const actual = anActualState({
      sessions: { tmux: w.blind === 'tmux' ? unavailable : { status: 'ok', items: sessions } },
      repositories: {
        '/repo': {
          status: 'ok',
          items: [
            {
              path: aLane({ laneId: 'l1' }).worktreePath,
              head: null,
              branch: aLane({ laneId: 'l1' }).branch,
              bare: false,
              detached: false,
              locked: false,
              prunable: false,
            },
          ],
        },
      },
      laneBindings: {
        status: 'ok',
        items: [
          {
            laneId: 'l1',
            incarnation: 'inc',
            worktreePath: aLane({ laneId: 'l1' }).worktreePath,
            branch: aLane({ laneId: 'l1' }).branch,
          },
        ],
      },
      tempFiles:
        w.blind === 'temp'
          ? unavailable
          : {
              status: 'ok',
              items: w.temp.map((t) => ({
                path: `/state/${t.name}`,
                ageMs: t.ageMs,
                hasLiveWriter: t.hasLiveWriter,
              })),
            },
      orphans: scan,
    });
    const policy = { incarnation: 'inc', instanceId: OURS, prune: w.prune };
    return { desired, actual, scan, policy, blind: w.blind !== 'none' };
  });

/** Whether `pid` has one of `servers` among its ancestors (or is one), walking the tree. */
function hasLiveAncestor(scan: OrphanScan, pid: number): boolean {
  const parent = new Map(scan.tree.map((edge) => [edge.pid, edge.ppid]));
  for (let at: number | undefined = pid; at !== undefined && at > 1; at = parent.get(at))
    if (scan.multiplexerServers.includes(at)) return true;
  return false;
}

describe('wave 4 properties', () => {
  it('never terminates live, foreign, other-instance, other-uid or non-leader processes', () => {
    fc.assert(
      fc.property(world, ({ desired, actual, scan, policy }) => {
        for (const action of planRecovery(desired, actual, policy).actions) {
          if (action.kind !== 'terminate' || action.target.type !== 'process') continue;
          const { pid, startTime, pgid } = action.target;
          const items = scan.processes.status === 'ok' ? scan.processes.items : [];
          const p = items.find((item) => item.pid === pid)!;
          expect(p.workspaceId).toBe('ws');
          expect(p.instanceId).toBe(OURS);
          expect(p.uid).toBe(UID);
          expect(scan.protectedPids).not.toContain(pid);
          expect(hasLiveAncestor(scan, pid)).toBe(false);
          expect(scan.liveSessions[0]!.pids).not.toContain(pid);
          expect(p.sessionId === 's1' && startTime >= 500).toBe(false);
          if (p.role === 'shell') expect(p.sid).toBe(pid);
          else expect([p.role, p.pgid]).toEqual(['share-worker', pid]);
          // A group is signalled only when nothing in it is to be left alone.
          if (pgid === pid)
            for (const member of items.filter((item) => item.pgid === pid)) {
              expect(member.uid).toBe(UID);
              expect(hasLiveAncestor(scan, member.pid)).toBe(false);
            }
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
