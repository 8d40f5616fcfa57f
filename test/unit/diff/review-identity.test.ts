import { describe, expect, it } from 'vitest';
import { planApproval } from '../../../diff/plan-approval.js';
import { planAbandonedLanes, planStaleSessions } from '../../../diff/plan-review-items.js';
import type { MuxSession } from '../../../specs/actual-state.js';
import type { ReviewRecord, ScannedWorktree } from '../../../specs/orphans.js';
import { PLAN_API_VERSION, type FlagAction, type Plan } from '../../../specs/plan.js';
import { pidKey, staleSessionKey } from '../../../specs/resource-keys.js';
import { isSettledBy, recordFlags } from '../../../specs/review-list.js';
import { ReviewFileSpec } from '../../../specs/state-files.js';
import type { OrphanScan } from '../../../specs/orphans.js';
import { aDesiredState, aLiveSession, anActualState } from '../../support/builders.js';

/** An untagged `helios-tmp`: server 900@40, created at 1,800,000,000, one pane 1000@50 in /a. */
const tmp = (overrides: Partial<MuxSession> = {}): MuxSession =>
  aLiveSession({
    name: 'helios-tmp',
    panePid: 1000,
    serverPid: 900,
    serverStartTime: 40,
    createdAt: 1_800_000_000,
    panes: [{ pid: 1000, startTime: 50 }],
    cwd: '/a',
    ...overrides,
  });

/** The flags the stale-session planner gives for `sessions` on tmux. */
function flagsFor(...sessions: MuxSession[]): FlagAction[] {
  const flags: FlagAction[] = [];
  planStaleSessions(
    aDesiredState(),
    anActualState({ sessions: { tmux: { status: 'ok', items: sessions } } }),
    { instanceId: 'i-ours' },
    (action) => flags.push(action),
    () => expect.unreachable('nothing is terminated'),
  );
  return flags;
}

const recorded = (action: FlagAction, status: ReviewRecord['status'] = 'pending') =>
  recordFlags([], [action], '2026-11-30T12:00:00.000Z').map((item) => ({ ...item, status }))[0]!;

const planOf = (actions: FlagAction[], unavailable: string[] = []): Plan => ({
  apiVersion: PLAN_API_VERSION,
  kind: 'RecoveryPlan',
  workspaceId: 'ws',
  generation: 1,
  incarnation: 'i',
  fingerprint: 'f',
  actions,
  blocked: [],
  unavailable,
});

describe('review items are identities, not names', () => {
  it('flags an untagged helios-* session with its server, creation, panes and cwd', () => {
    const [flagged] = flagsFor(tmp());
    expect(flagged).toMatchObject({
      key: staleSessionKey('tmux', 'helios-tmp'),
      reason: 'orphan_unproven',
      identity: {
        type: 'session',
        serverPid: 900,
        serverStartTime: 40,
        createdAt: 1_800_000_000,
        panes: [{ pid: 1000, startTime: 50 }],
        cwd: '/a',
      },
    });
  });

  it('a look-alike that took the name is a new item with its own id; the reviewed one stays settled', () => {
    const [reviewed] = flagsFor(tmp());
    const [lookAlike] = flagsFor(
      tmp({ createdAt: 1_800_000_100, panes: [{ pid: 2000, startTime: 70 }], cwd: '/b' }),
    );
    expect(lookAlike!.key).toBe(reviewed!.key);
    expect(lookAlike!.reviewId).not.toBe(reviewed!.reviewId);
    const review = [recorded(reviewed!)];
    expect(isSettledBy(review, reviewed!)).toBe(true);
    expect(isSettledBy(review, lookAlike!)).toBe(false);
    // Dismissed is "leave this name alone for good", look-alikes included.
    expect(isSettledBy([recorded(reviewed!, 'dismissed')], lookAlike!)).toBe(true);
  });

  it('recording a look-alike replaces the pending item of its name and keeps dismissed ones', () => {
    const [reviewed] = flagsFor(tmp());
    const [lookAlike] = flagsFor(tmp({ panes: [{ pid: 2000, startTime: 70 }] }));
    const other = recorded({ ...reviewed!, key: 'stale-session:tmux:helios-other' }, 'dismissed');
    const next = recordFlags([recorded(reviewed!), other], [lookAlike!], 'later');
    expect(next.map((item) => [item.id, item.status])).toEqual([
      [other.id, 'dismissed'],
      [lookAlike!.reviewId, 'pending'],
    ]);
    expect(next[1]!.identity).toEqual(lookAlike!.identity);
    expect(recordFlags(next, [lookAlike!], 'again')).toEqual(next);
  });

  it('approve refuses a session that is not the one reviewed, names what changed, and hands back the new item', () => {
    const [reviewed] = flagsFor(tmp());
    const [lookAlike] = flagsFor(
      tmp({ createdAt: 1_800_000_100, panes: [{ pid: 2000, startTime: 70 }], cwd: '/b' }),
    );
    const approval = planApproval(recorded(reviewed!), planOf([lookAlike!]));
    expect(approval.ok).toBe(false);
    if (approval.ok) return;
    expect(approval.reason).toContain(`${reviewed!.reviewId} is not what was reviewed`);
    expect(approval.reason).toContain('panes 1000@50 are now 2000@70');
    expect(approval.reason).toContain('cwd /a is now /b');
    expect(approval.reason).toContain('created 2027-01-15T08:00:00.000Z is now');
    expect(approval.reason).toContain(`flagged as ${lookAlike!.reviewId}`);
    expect(approval.reflag).toEqual(lookAlike);
    expect(approval.reason).not.toContain('\n');
  });

  it('approve refuses a session whose server was replaced, even with the same pane pid', () => {
    const [reviewed] = flagsFor(tmp());
    const [after] = flagsFor(tmp({ serverPid: 901, serverStartTime: 41 }));
    const approval = planApproval(recorded(reviewed!), planOf([after!]));
    expect(approval).toMatchObject({
      ok: false,
      reason: expect.stringContaining('server pid 900@40 is now pid 901@41'),
    });
  });

  it('approve kills the session when it is the very one reviewed', () => {
    const [reviewed] = flagsFor(tmp());
    expect(planApproval(recorded(reviewed!), planOf(flagsFor(tmp())))).toMatchObject({
      ok: true,
      action: { kind: 'terminate', target: { type: 'session', name: 'helios-tmp' } },
    });
  });

  it('approve refuses an item reviewed before identities were recorded, and re-flags it', () => {
    const [fresh] = flagsFor(tmp());
    const { identity: _identity, ...old } = recorded(fresh!);
    const approval = planApproval({ ...old, id: 'r-0ld0ld0' }, planOf([fresh!]));
    expect(approval).toMatchObject({
      ok: false,
      reason: expect.stringMatching(
        /r-0ld0ld0 was reviewed before identities were recorded: refused/,
      ),
      remedy: { code: 'review_orphans', reviewId: fresh!.reviewId },
      reflag: fresh,
    });
  });

  it('a process item needs no recorded identity: its key is its pid and start time', () => {
    const key = pidKey(4242, 99);
    const process: FlagAction = { ...flagsFor(tmp())[0]!, key, subject: 'process' };
    const { identity: _a, ...bare } = process;
    const approval = planApproval(recorded(bare), planOf([bare]));
    expect(approval).toMatchObject({ ok: true, action: { target: { pid: 4242, startTime: 99 } } });
  });

  it('reads a review.json written before identities were recorded', () => {
    const old = {
      items: [
        {
          id: 'r-0000abcd',
          key: 'stale-session:tmux:helios-tmp',
          subject: 'session',
          reason: 'orphan_unproven',
          detail: 'tmux session helios-tmp is not in the checkpoint',
          status: 'pending',
          flaggedAt: '2026-11-30T12:00:00.000Z',
        },
      ],
    };
    expect(ReviewFileSpec.safeParse(old).success).toBe(true);
    const [fresh] = flagsFor(tmp());
    expect(ReviewFileSpec.safeParse({ items: [recorded(fresh!)] }).success).toBe(true);
  });
});

describe('lanes keep every file: the review lists what git status hides', () => {
  const worktree = (contents: ScannedWorktree['contents'], head = 'c0ffee'): ScannedWorktree => ({
    repository: '/repo',
    path: '/repo/.helios-worktrees/lx',
    laneId: 'lx',
    branch: 'lx',
    head,
    dirty: contents === null ? null : contents.changed.length > 0,
    contents,
    unpushed: 0,
  });
  const empty = { changed: [], ignored: [], skipWorktree: [], assumeUnchanged: [] };
  const flagsOf = (...items: ScannedWorktree[]) => {
    const flags: FlagAction[] = [];
    const scan = { worktrees: { status: 'ok', items } } as unknown as OrphanScan;
    planAbandonedLanes(aDesiredState(), scan, (action) => flags.push(action));
    return flags;
  };

  it('an untracked file or a file with a skip-worktree or assume-unchanged bit makes a lane not clean, listed', () => {
    const [clean, untracked, hidden] = flagsOf(
      worktree(empty),
      worktree({ ...empty, changed: ['NOTES.md'] }),
      worktree({ ...empty, skipWorktree: ['local.conf'], assumeUnchanged: ['big.bin'] }),
    );
    expect(clean!.detail).toMatch(/is not in the checkpoint; clean, 0 commits on no remote$/);
    expect(untracked!.detail).toContain('has uncommitted changes: NOTES.md');
    expect(hidden!.detail).toContain(
      'holds files git status does not show: local.conf (skip-worktree), big.bin (assume-unchanged)',
    );
    expect(hidden!.identity).toMatchObject({ head: 'c0ffee', skipWorktree: ['local.conf'] });
  });

  it('approve refuses a lane whose HEAD moved or whose hidden files changed since the review', () => {
    const [reviewed] = flagsOf(worktree({ ...empty, skipWorktree: ['local.conf'] }));
    const [moved] = flagsOf(worktree({ ...empty, skipWorktree: ['local.conf'] }, 'beef'));
    const [more] = flagsOf(worktree({ ...empty, skipWorktree: ['local.conf', 'x'] }));
    expect(planApproval(recorded(reviewed!), planOf([moved!]))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('HEAD c0ffee is now beef'),
    });
    expect(planApproval(recorded(reviewed!), planOf([more!]))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('skip-worktree files local.conf are now local.conf, x'),
    });
  });
});
