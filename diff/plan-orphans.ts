import type { Multiplexer } from '../specs/checkpoint-spec.js';
import type { ActualState, MuxSession } from '../specs/actual-state.js';
import type { DesiredState } from '../specs/desired-state.js';
import { TEMP_FILE_MIN_AGE_MS, type OrphanScan } from '../specs/orphans.js';
import {
  type CleanupAction,
  type FlagAction,
  type RemoveAction,
  type TerminateAction,
  WAVES,
} from '../specs/plan.js';
import { classifyProcesses } from './classify-processes.js';
import { shortHash } from './fingerprint.js';
import { abandonedLaneKey, pidKey, staleSessionKey, tempFileKey } from '../specs/resource-keys.js';

export interface OrphanPolicy {
  /** The backend every session is on when forced (`--backend`), else each entry's own. */
  readonly backend?: 'tmux' | 'zellij' | undefined;
  /** This workspace instance: only processes and sessions marked with it can be ours. */
  readonly instanceId: string;
  /** Terminate live tagged sessions that are not in the desired state (off: flag them). */
  readonly prune?: boolean | undefined;
  /** Flag items again even when they are in review already (approve re-checks with this). */
  readonly reflagReviewed?: boolean | undefined;
}

/** The review id of an item: stable across scans, short enough to type. */
export function reviewIdOf(key: string): string {
  return `r-${shortHash(key).slice(0, 8)}`;
}

function flag(
  key: string,
  subject: FlagAction['subject'],
  reason: FlagAction['reason'],
  detail: string,
): FlagAction {
  return {
    kind: 'flag',
    key,
    wave: WAVES.flag,
    reason,
    reviewId: reviewIdOf(key),
    subject,
    detail,
  };
}

/**
 * Wave 4, pure: terminate only what the ownership model (classify-processes.ts) proves ours and
 * orphaned; prune live sessions missing from the desired state only when asked; flag for review
 * what only looks like ours, user jobs that outlived a crash, untagged look-alikes and
 * abandoned lanes; remove stale temp files. Blind (any observation the plan reports unavailable,
 * the same list the summary shows as held back): nothing is terminated or removed. Items already in review are not flagged again.
 */
export function planOrphans(
  desired: DesiredState,
  actual: ActualState,
  scan: OrphanScan,
  policy: OrphanPolicy,
  /** The plan's unavailable observations (`Plan.unavailable`): any one makes cleanup blind. */
  unavailable: readonly string[],
): CleanupAction[] {
  const ws = desired.workspaceId;
  const reviewed = new Set(
    scan.review.status === 'ok' && !policy.reflagReviewed
      ? scan.review.items.map((item) => item.key)
      : [],
  );
  const blind = unavailable.length > 0;
  const actions: CleanupAction[] = [];
  const addFlag = (action: FlagAction) => {
    if (!reviewed.has(action.key)) actions.push(action);
  };
  const addDestructive = (action: TerminateAction | RemoveAction) => {
    if (!blind) actions.push(action);
  };
  const owner = { workspaceId: ws, instanceId: policy.instanceId };
  for (const { candidate, verdict, signalGroup } of classifyProcesses(scan, desired, owner)) {
    const key = pidKey(candidate.pid, candidate.startTime);
    const label = `pid ${candidate.pid} (${candidate.argv.join(' ').slice(0, 80)})`;
    if (verdict.verdict === 'terminate') {
      addDestructive({
        kind: 'terminate',
        key,
        wave: WAVES.terminate,
        reason: 'orphan_owned',
        target: {
          type: 'process',
          pid: candidate.pid,
          startTime: candidate.startTime,
          pgid: signalGroup ? candidate.pgid : -1,
          signal: verdict.signal,
          label,
        },
      });
    } else if (verdict.verdict === 'review') {
      addFlag(flag(key, 'process', 'orphan_unproven', `${label} ${verdict.why}`));
    }
  }
  planStaleSessions(desired, actual, policy, addFlag, addDestructive);
  if (scan.worktrees.status === 'ok') {
    const lanes = new Set(desired.lanes.map((lane) => lane.worktreePath));
    for (const worktree of scan.worktrees.items) {
      if (lanes.has(worktree.path)) continue;
      const state =
        worktree.dirty === false
          ? 'clean'
          : worktree.dirty === true
            ? 'has uncommitted changes'
            : 'state unknown';
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
        ),
      );
    }
  }
  if (actual.tempFiles.status === 'ok') {
    for (const file of actual.tempFiles.items) {
      if (file.ageMs < TEMP_FILE_MIN_AGE_MS || file.hasLiveWriter) continue;
      addDestructive({
        kind: 'remove',
        key: tempFileKey(file.path),
        wave: WAVES.remove,
        reason: 'temp_file_stale',
        path: file.path,
      });
    }
  }
  return actions;
}

/**
 * Live sessions the desired state does not explain. A session tagged by this instance is pruned
 * only when the user asked (`--prune`, the daemon's own `session close`), else flagged; one of
 * another instance is theirs; an untagged look-alike (`helios-*`, or a desired name in another
 * cwd, which the restore refuses as `name_taken`) is flagged, never killed.
 */
function planStaleSessions(
  desired: DesiredState,
  actual: ActualState,
  policy: OrphanPolicy,
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
      const wanted = desiredByName.get(`${backend}:${session.name}`);
      if (wanted) {
        if (isNameTaken(session, wanted.workingDirectory))
          addFlag(
            flag(
              key,
              'session',
              'name_taken',
              `${backend} session ${session.name} carries no tag of ${ws} and runs in ${session.cwd}, not ${wanted.workingDirectory}: not adopted`,
            ),
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
          addFlag(
            flag(
              key,
              'session',
              'stale_session_owned',
              `${backend} session ${session.name} is tagged ${ws} but not in the checkpoint: kept (prune it with --prune, or approve this item)`,
            ),
          );
      } else if (
        (session.workspaceId === ws && instance === null) ||
        (session.workspaceId === null && session.name.startsWith('helios-'))
      ) {
        addFlag(
          flag(
            key,
            'session',
            'orphan_unproven',
            `${backend} session ${session.name} is not in the checkpoint and carries no tag of this instance of ${ws}`,
          ),
        );
      }
    }
  }
}

/** An untagged live session with a desired name but another cwd is not ours to adopt. */
export function isNameTaken(session: MuxSession, cwd: string): boolean {
  return session.workspaceId === null && session.cwd !== null && session.cwd !== cwd;
}
