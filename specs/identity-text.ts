import type { LaneIdentity, ReviewIdentity, SessionIdentity } from './review-identity.js';

/*
 * Review identities as text, and the one rule for "the same thing" (zod-free, for the banner).
 * Two identities are the same when every field below matches; a lane's uncommitted changes are
 * shown, not compared (they refuse removal whatever they are).
 */

const MAX_LISTED = 10;

/** `paths` for a line of text: the first few, then how many more. */
export function listPaths(paths: readonly string[], total = paths.length): string {
  const more = total > MAX_LISTED ? ` and ${total - MAX_LISTED} more` : '';
  return `${paths.slice(0, MAX_LISTED).join(', ')}${more}`;
}

const pane = (p: SessionIdentity['panes'][number]) => `${p.pid}@${p.startTime ?? '?'}`;
const server = (s: SessionIdentity) =>
  s.serverPid === null ? 'unknown' : `pid ${s.serverPid}@${s.serverStartTime ?? '?'}`;
const created = (s: SessionIdentity) =>
  s.createdAt === null ? 'unknown' : new Date(s.createdAt * 1000).toISOString();
const panes = (s: SessionIdentity) => (s.panes.length > 0 ? s.panes.map(pane).join(' ') : 'none');

/** One line naming what an identity is: what the operator compares with what they know. */
export function describeIdentity(identity: ReviewIdentity): string {
  if (identity.type === 'session')
    return `server ${server(identity)}, created ${created(identity)}, panes ${panes(identity)}, cwd ${identity.cwd ?? 'unknown'}`;
  return `HEAD ${identity.head ?? 'unknown'} on ${identity.branch ? `branch ${identity.branch}` : 'no branch'}`;
}

/** What a lane's removal would lose, as the review text says it ('clean' when nothing). */
export function describeLaneContents(lane: LaneIdentity): string {
  if (!lane.known) return 'state unknown';
  const parts: string[] = [];
  if (lane.changedCount > 0)
    parts.push(`has uncommitted changes: ${listPaths(lane.changed, lane.changedCount)}`);
  if (lane.skipWorktree.length > 0 || lane.assumeUnchanged.length > 0)
    parts.push(`holds files git status does not show: ${listPaths(hiddenFiles(lane))}`);
  if (lane.ignored.length > 0) parts.push(`holds git-ignored files: ${listPaths(lane.ignored)}`);
  return parts.length > 0 ? parts.join('; ') : 'clean';
}

/** A lane's skip-worktree and assume-unchanged files, each with its bit named. */
export function hiddenFiles(
  lane: Pick<LaneIdentity, 'skipWorktree' | 'assumeUnchanged'>,
): string[] {
  return [
    ...lane.skipWorktree.map((path) => `${path} (skip-worktree)`),
    ...lane.assumeUnchanged.map((path) => `${path} (assume-unchanged)`),
  ];
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

function sessionChanges(was: SessionIdentity, now: SessionIdentity): string[] {
  const changes: string[] = [];
  if (was.serverPid !== now.serverPid || was.serverStartTime !== now.serverStartTime)
    changes.push(`server ${server(was)} is now ${server(now)}`);
  if (was.createdAt !== now.createdAt)
    changes.push(`created ${created(was)} is now ${created(now)}`);
  if (!sameList(was.panes.map(pane), now.panes.map(pane)))
    changes.push(`panes ${panes(was)} are now ${panes(now)}`);
  if (was.cwd !== now.cwd)
    changes.push(`cwd ${was.cwd ?? 'unknown'} is now ${now.cwd ?? 'unknown'}`);
  return changes;
}

function laneChanges(was: LaneIdentity, now: LaneIdentity): string[] {
  const changes: string[] = [];
  if (was.head !== now.head)
    changes.push(`HEAD ${was.head ?? 'unknown'} is now ${now.head ?? 'unknown'}`);
  if (was.branch !== now.branch)
    changes.push(`branch ${was.branch ?? 'none'} is now ${now.branch ?? 'none'}`);
  if (was.known !== now.known)
    changes.push(now.known ? 'its files can be read now' : 'its files cannot be read');
  const lists = [
    ['git-ignored files', was.ignored, now.ignored],
    ['skip-worktree files', was.skipWorktree, now.skipWorktree],
    ['assume-unchanged files', was.assumeUnchanged, now.assumeUnchanged],
  ] as const;
  for (const [what, before, after] of lists)
    if (!sameList(before, after))
      changes.push(`${what} ${listPaths(before) || 'none'} are now ${listPaths(after) || 'none'}`);
  return changes;
}

/**
 * What changed between the identity the operator reviewed and a fresh one, as one line; null
 * when they are the same thing. No identity on either side is the same only when neither has
 * one (a process: its key is its identity).
 */
export function identityChanges(
  reviewed: ReviewIdentity | undefined,
  fresh: ReviewIdentity | undefined,
): string | null {
  if (reviewed === undefined || fresh === undefined)
    return reviewed === fresh ? null : 'no identity to compare';
  if (reviewed.type !== fresh.type) return `it was a ${reviewed.type}, now a ${fresh.type}`;
  const changes =
    reviewed.type === 'session'
      ? sessionChanges(reviewed, fresh as SessionIdentity)
      : laneChanges(reviewed, fresh as LaneIdentity);
  return changes.length > 0 ? changes.join('; ') : null;
}

/** The compared fields as canonical text: equal exactly when `identityChanges` is null. */
export function identityFingerprint(identity: ReviewIdentity): string {
  if (identity.type === 'session') {
    const { serverPid, serverStartTime, createdAt, cwd } = identity;
    const list = identity.panes.map(pane).sort();
    return JSON.stringify(['session', serverPid, serverStartTime, createdAt, list, cwd]);
  }
  const { head, branch, known } = identity;
  const sorted = (list: readonly string[]) => [...list].sort();
  return JSON.stringify([
    'lane',
    head,
    branch,
    known,
    sorted(identity.ignored),
    sorted(identity.skipWorktree),
    sorted(identity.assumeUnchanged),
  ]);
}
