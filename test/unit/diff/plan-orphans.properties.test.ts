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

const process = fc.record({
  pid: fc.integer({ min: 2, max: 60 }),
  startTime: fc.integer({ min: 1, max: 1000 }),
  owner: fc.constantFrom('ws', 'other', null),
  environReadable: fc.boolean(),
  sessionId: fc.option(fc.constantFrom('s1', 's2', 'gone'), { nil: null }),
  role: fc.constantFrom('shell', 'share-worker', null),
  namesUs: fc.boolean(),
});

/** A random orphan scan around one live session (s1, pane pid 100 started at time 500). */
const world = fc
  .record({
    processes: fc.uniqueArray(process, { selector: (p) => p.pid, maxLength: 12 }),
    protectedPids: fc.uniqueArray(fc.integer({ min: 2, max: 60 }), { maxLength: 3 }),
    sessionPids: fc.uniqueArray(fc.integer({ min: 2, max: 60 }), { maxLength: 4 }),
    staleSessions: fc.array(
      fc.record({
        name: fc.constantFrom('helios-x', 'helios-y', 'misc'),
        owner: fc.constantFrom('ws', 'other', null),
      }),
      { maxLength: 3 },
    ),
    extraLanes: fc.uniqueArray(fc.constantFrom('lx', 'ly'), { maxLength: 2 }),
    temp: fc.array(
      fc.record({
        name: fc.constantFrom('a.tmp', 'b.tmp'),
        ageMs: fc.integer({ min: 0, max: 90_000 }),
        hasLiveWriter: fc.boolean(),
      }),
      { maxLength: 2 },
    ),
  })
  .map((w) => {
    const desired = aDesiredState({
      sessions: [aSession({ sessionId: 's1' })],
      lanes: [aLane({ laneId: 'l1' })],
    });
    const processes: ScannedProcess[] = w.processes.map((p) => ({
      pid: p.pid,
      ppid: 1,
      pgid: p.pid,
      startTime: p.startTime,
      argv: p.namesUs ? ['sh', '/state/launch/x.sh'] : ['sleep', '9'],
      environReadable: p.owner !== null || p.environReadable,
      workspaceId: p.owner,
      sessionId: p.owner ? p.sessionId : null,
      shareId: p.role === 'share-worker' ? 'sh1' : null,
      role: p.owner ? p.role : null,
    }));
    const scan: OrphanScan = {
      processes: { status: 'ok', items: processes },
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
      worktrees: {
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
      review: { status: 'ok', items: [] },
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
      ...w.staleSessions.map((s) => aLiveSession({ name: s.name, workspaceId: s.owner })),
    ];
    const actual = anActualState({
      sessions: { tmux: { status: 'ok', items: sessions } },
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
      tempFiles: {
        status: 'ok',
        items: w.temp.map((t) => ({
          path: `/state/${t.name}`,
          ageMs: t.ageMs,
          hasLiveWriter: t.hasLiveWriter,
        })),
      },
      orphans: scan,
    });
    return { desired, actual, scan };
  });

const policy = { incarnation: 'inc' };

describe('wave 4 properties', () => {
  it('never terminates a process that is not proven ours and orphaned', () => {
    fc.assert(
      fc.property(world, ({ desired, actual, scan }) => {
        for (const action of planRecovery(desired, actual, policy).actions) {
          if (action.kind !== 'terminate' || action.target.type !== 'process') continue;
          const { pid, startTime } = action.target;
          const process =
            scan.processes.status === 'ok'
              ? scan.processes.items.find((p) => p.pid === pid)!
              : null;
          expect(process?.workspaceId).toBe('ws');
          expect(scan.protectedPids).not.toContain(pid);
          expect(scan.liveSessions[0]!.pids).not.toContain(pid);
          expect(process!.sessionId === 's1' && startTime >= 500).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('leaves other workspaces alone entirely and only ever flags lanes', () => {
    fc.assert(
      fc.property(world, ({ desired, actual, scan }) => {
        const foreign = new Set(
          scan.processes.status === 'ok'
            ? scan.processes.items
                .filter((p) => p.workspaceId === 'other')
                .map((p) => `pid:${p.pid}@${p.startTime}`)
            : [],
        );
        for (const action of planRecovery(desired, actual, policy).actions) {
          expect(foreign.has(action.key)).toBe(false);
          if (action.key.startsWith('stale-session:')) {
            const session =
              actual.sessions.tmux!.status === 'ok'
                ? actual.sessions.tmux!.items.find(
                    (i) =>
                      action.key.endsWith(`:${i.name}`) &&
                      (i.workspaceId === 'ws' ||
                        (i.workspaceId === null && i.name.startsWith('helios-'))),
                  )
                : undefined;
            expect(session).toBeDefined(); // only tagged-ours (terminate) or helios-named untagged (flag)
          }
          if (action.key.startsWith('lane-abandoned:')) expect(action.kind).toBe('flag');
          if (action.kind === 'terminate' && action.target.type === 'session')
            expect(action.target.name).not.toBe('helios-s1');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('plans no cleanup after its cleanup was applied', () => {
    fc.assert(
      fc.property(world, ({ desired, actual }) => {
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
