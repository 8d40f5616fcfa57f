import type { Multiplexer, SessionEntrySpec } from '../specs/checkpoint-spec.js';
import { panesOf } from '../specs/session-windows.js';
import type { ActualState, MuxSession } from '../specs/actual-state.js';
import type { DesiredState } from '../specs/desired-state.js';
import { describeLaneContents, identityFingerprint } from '../specs/identity-text.js';
import type { OrphanScan, ScannedWorktree } from '../specs/orphans.js';
import { type FlagAction, type TerminateAction, WAVES } from '../specs/plan.js';
import type { LaneIdentity, ReviewIdentity, SessionIdentity } from '../specs/review-identity.js';
import { abandonedLaneKey, staleSessionKey } from '../specs/resource-keys.js';
import { shortHash } from './fingerprint.js';

/** How many uncommitted paths a lane's review item keeps (the count is always exact). */
const MAX_CHANGED = 10;

/**
 * The review id of an item: stable across scans, short enough to type. With an identity it names
 * that one thing: a look-alike that took the key (a session of the same name) gets another id.
 */
export function reviewIdOf(key: string, identity?: ReviewIdentity): string {
  const text = identity === undefined ? key : `${key}\n${identityFingerprint(identity)}`;
  return `r-${shortHash(text).slice(0, 8)}`;
}

export function flag(
  key: string,
  subject: FlagAction['subject'],
  reason: FlagAction['reason'],
  detail: string,
  identity?: ReviewIdentity,
): FlagAction {
  return {
    kind: 'flag',
    key,
    wave: WAVES.flag,
    reason,
    reviewId: reviewIdOf(key, identity),
    subject,
    detail,
    ...(identity === undefined ? {} : { identity }),
  };
}

/** What tells this session apart from any other of its name. */
export function sessionIdentityOf(session: MuxSession): SessionIdentity {
  return {
    type: 'session',
    serverPid: session.serverPid ?? null,
    serverStartTime: session.serverStartTime ?? null,
    createdAt: session.createdAt ?? null,
    panes: [...(session.panes ?? [])].sort((a, b) => a.pid - b.pid),
    cwd: session.cwd,
  };
}

/** What tells this worktree apart, and everything its removal would lose. */
export function laneIdentityOf(worktree: ScannedWorktree): LaneIdentity {
  const contents = worktree.contents;
  return {
    type: 'lane',
    head: worktree.head,
    branch: worktree.branch,
    known: contents !== null,
    changed: contents?.changed.slice(0, MAX_CHANGED) ?? [],
    changedCount: contents?.changed.length ?? 0,
    ignored: contents?.ignored ?? [],
    skipWorktree: contents?.skipWorktree ?? [],
    assumeUnchanged: contents?.assumeUnchanged ?? [],
  };
}

/** Lane worktrees no checkpoint lane names: flagged with all they hold, never removed here. */
export function planAbandonedLanes(
  desired: DesiredState,
  scan: OrphanScan,
  addFlag: (action: FlagAction) => void,
): void {
  if (scan.worktrees.status !== 'ok') return;
  const lanes = new Set(desired.lanes.map((lane) => lane.worktreePath));
  for (const worktree of scan.worktrees.items) {
    if (lanes.has(worktree.path)) continue;
    const identity = laneIdentityOf(worktree);
    const state = worktree.dirty === null ? 'state unknown' : describeLaneContents(identity);
    const unpushed =
      worktree.unpushed === null
        ? ''
        : `, ${worktree.unpushed} ${worktree.unpushed === 1 ? 'commit' : 'commits'} on no remote`;
    addFlag(
      flag(
        abandonedLaneKey(worktree.path),
        'lane',
        'lane_abandoned',
        `worktree ${worktree.path} (branch ${worktree.branch ?? 'detached'}) is not in the checkpoint; ${state}${unpushed}`,
        identity,
      ),
    );
  }
}

/** Live-session policy of wave 4 (see planStaleSessions). */
export interface StaleSessionPolicy {
  readonly backend?: 'tmux' | 'zellij' | undefined;
  readonly instanceId: string;
  readonly prune?: boolean | undefined;
}

/**
 * Live sessions the desired state does not explain. A session tagged by this instance is pruned
 * only when the user asked (the prune policy, the daemon's own `session close`), else flagged
 * with a remedy that says how to prune it; one of
 * another instance is theirs; an untagged look-alike (`helios-*`, or a desired name in another
 * cwd, which the restore refuses as `name_taken`) is flagged, never killed. Every flag carries the
 * session's identity: approve acts on that session only, never on a later one of its name.
 */
export function planStaleSessions(
  desired: DesiredState,
  actual: ActualState,
  policy: StaleSessionPolicy,
  addFlag: (action: FlagAction) => void,
  addDestructive: (action: TerminateAction) => void,
): void {
  const ws = desired.workspaceId;
  const desiredByName = new Map(
    desired.sessions.map((s) => [`${policy.backend ?? s.multiplexer}:${s.sessionName}`, s]),
  );
  for (const [backend, observation] of Object.entries(actual.sessions)) {
    if (observation?.status !== 'ok') continue;
    for (const session of observation.items) {
      if (session.state !== 'live') continue;
      const key = staleSessionKey(backend as Multiplexer, session.name);
      const identity = sessionIdentityOf(session);
      const flagSession = (reason: FlagAction['reason'], detail: string, prunable = false) => {
        const item = flag(
          key,
          'session',
          reason,
          `${backend} session ${session.name} ${detail}`,
          identity,
        );
        addFlag(
          prunable ? { ...item, remedy: { code: 'prune_session', reviewId: item.reviewId } } : item,
        );
      };
      const wanted = desiredByName.get(`${backend}:${session.name}`);
      if (wanted) {
        if (isNameTaken(session, wanted))
          flagSession(
            'name_taken',
            `carries no tag of ${ws} and runs in ${session.cwd}, not ${wanted.workingDirectory}: not adopted`,
          );
        continue;
      }
      const instance = session.instanceId ?? null;
      if (session.workspaceId === ws && instance === policy.instanceId) {
        if (policy.prune)
          addDestructive({
            kind: 'terminate',
            key,
            wave: WAVES.terminate,
            reason: 'stale_session_owned',
            target: { type: 'session', backend: session.backend, name: session.name },
          });
        else
          flagSession(
            'stale_session_owned',
            `is tagged ${ws} but not in the checkpoint: kept`,
            true,
          );
      } else if (
        (session.workspaceId === ws && instance === null) ||
        (session.workspaceId === null && session.name.startsWith('helios-'))
      ) {
        flagSession(
          'orphan_unproven',
          `is not in the checkpoint and carries no tag of this instance of ${ws}`,
        );
      }
    }
  }
}

/**
 * An untagged live session with a desired name is not ours to adopt when it runs in none of the
 * checkpoint's cwds (tmux lists the cwd of its active pane, which may be any of them).
 */
export function isNameTaken(session: MuxSession, wanted: SessionEntrySpec): boolean {
  if (session.workspaceId !== null || session.cwd === null) return false;
  return !panesOf(wanted).some(({ pane }) => pane.workingDirectory === session.cwd);
}
