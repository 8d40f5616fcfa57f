import fc from 'fast-check';
import type { OrphanScan, ScannedProcess } from '../../../specs/orphans.js';
import {
  aDesiredState,
  aLane,
  aLiveSession,
  anActualState,
  aSession,
} from '../../support/builders.js';

/*
 * Generated worlds for the wave-4 properties: a random process forest (pids 2..80, each with a
 * parent among the earlier pids or init, some of them session holders) around one live session,
 * with random owners, instances, uids, roles, leadership, ledgers, lanes, temp files, blindness.
 */
export const UID = 1000;
export const OURS = 'i-ours';
/** The host app, beside the generated processes: a share worker's host that nobody registered. */
const HOST = { pid: 90, ppid: 1, pgid: 90, sid: 90, startTime: 7 };

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
  ledger: fc.constantFrom('recorded', 'recorded', 'none', 'none', 'stale', 'theirs'), // stale: a reused pid
  ledgerRole: fc.constantFrom('shell', 'share-worker'),
  execd: fc.constantFrom(false, false, false, true),
  hostAlive: fc.boolean(),
});

/** A random orphan scan around one live session (s1, pane pid 100 started at time 500). */
export const world = fc
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
      'ledger',
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
      tree: [...processes, HOST].map(({ pid, ppid, pgid, sid, startTime }) => {
        return { pid, ppid, pgid, sid, startTime };
      }),
      sessionHolders: processes.filter((_, i) => w.processes[i]!.server).map((p) => p.pid),
      ledger:
        w.blind === 'ledger'
          ? unavailable
          : {
              status: 'ok',
              items: processes.flatMap((p, i) => {
                const g = w.processes[i]!;
                if (g.ledger === 'none') return [];
                return [
                  {
                    v: 1 as const,
                    pid: p.pid,
                    startTime: g.ledger === 'stale' ? p.startTime + 1 : p.startTime,
                    pgid: p.pgid,
                    sid: p.sid,
                    bootId: 'boot',
                    workspaceId: 'ws',
                    instanceId: g.ledger === 'theirs' ? 'i-theirs' : OURS,
                    sessionId: g.sessionId,
                    pane: '0',
                    role: g.ledgerRole,
                    // Mostly what it runs now; sometimes another program (it exec'd).
                    argv: g.execd ? ['vim'] : [...p.argv],
                    shareId: g.ledgerRole === 'share-worker' ? 'sh1' : null,
                    // A share worker's host: alive (the first process, as itself), or gone.
                    host: g.hostAlive ? HOST : { pid: 9999, startTime: 1 },
                  },
                ];
              }),
            },
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
                head: null,
                dirty: true,
                contents: {
                  changed: ['edit.txt'],
                  ignored: [],
                  skipWorktree: [],
                  assumeUnchanged: [],
                },
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
export function hasLiveAncestor(scan: OrphanScan, pid: number): boolean {
  const parent = new Map(scan.tree.map((edge) => [edge.pid, edge.ppid]));
  for (let at: number | undefined = pid; at !== undefined && at > 1; at = parent.get(at))
    if (scan.sessionHolders.includes(at)) return true;
  return false;
}
