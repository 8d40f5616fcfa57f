import type { ActualState } from '../specs/actual-state.js';
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
import { flag, planAbandonedLanes, planStaleSessions } from './plan-review-items.js';
import { isSettledBy } from '../specs/review-list.js';
import { pidKey, tempFileKey } from '../specs/resource-keys.js';

export { isNameTaken, reviewIdOf } from './plan-review-items.js';

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
  const reviewed = scan.review.status === 'ok' && !policy.reflagReviewed ? scan.review.items : [];
  const blind = unavailable.length > 0;
  const actions: CleanupAction[] = [];
  const addFlag = (action: FlagAction) => {
    if (!isSettledBy(reviewed, action)) actions.push(action);
  };
  const addDestructive = (action: TerminateAction | RemoveAction) => {
    if (!blind) actions.push(action);
  };
  const owner = { workspaceId: ws, instanceId: policy.instanceId };
  for (const { candidate, verdict, signalGroup, group } of classifyProcesses(
    scan,
    desired,
    owner,
  )) {
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
          ...(signalGroup ? { group } : {}),
          signal: verdict.signal,
          label,
        },
      });
    } else if (verdict.verdict === 'review') {
      addFlag(flag(key, 'process', 'orphan_unproven', `${label} ${verdict.why}`));
    }
  }
  planStaleSessions(desired, actual, policy, addFlag, addDestructive);
  planAbandonedLanes(desired, scan, addFlag);
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
