import type { ReviewRecord } from '../specs/orphans.js';
import { WAVES, type Plan, type RemoveAction, type TerminateAction } from '../specs/plan.js';
import { parseResourceKey } from '../specs/resource-keys.js';

/** How the operator approves: lanes holding git-ignored files need them listed and accepted. */
export interface ApprovalOptions {
  readonly discardIgnored?: boolean | undefined;
}

export type Approval =
  | { readonly ok: true; readonly action: TerminateAction | RemoveAction }
  | { readonly ok: false; readonly reason: string };

/**
 * The operator approved review item `item`: the one cleanup action that settles it, planned
 * against `fresh`, a plan of the world as it is now that flags reviewed items again. Refused
 * while any observation is unavailable (blind means hands off) and when the fresh plan no longer
 * flags the item (adopted into the checkpoint, live again, gone): then it is not what the
 * operator reviewed. A process is fenced by its start time; a lane worktree keeps every
 * uncommitted change (its executor checks again right before).
 */
export function planApproval(
  item: ReviewRecord,
  fresh: Plan,
  options: ApprovalOptions = {},
): Approval {
  if (fresh.unavailable.length > 0)
    return {
      ok: false,
      reason: `cannot re-check ${item.id}: ${fresh.unavailable.join('; ')}; nothing is touched while blind`,
    };
  const stillFlagged = fresh.actions.some(
    (action) => action.kind === 'flag' && action.key === item.key,
  );
  if (!stillFlagged)
    return {
      ok: false,
      reason: `${item.id} is no longer what was reviewed (${item.detail}): it is gone, live again or now in the checkpoint; refused (dismiss it with \`helios-recover orphans dismiss ${item.id}\`)`,
    };
  const key = parseResourceKey(item.key);
  const base = { key: item.key, wave: WAVES.terminate, reason: 'review_approved' } as const;
  switch (key?.type) {
    case 'pid':
      return {
        ok: true,
        action: {
          ...base,
          kind: 'terminate',
          target: {
            type: 'process',
            pid: key.pid,
            startTime: key.startTime,
            // Only this process: its group may hold what nobody reviewed.
            pgid: -1,
            signal: 'SIGTERM',
            label: `pid ${key.pid}`,
          },
        },
      };
    case 'stale-session':
      return {
        ok: true,
        action: {
          ...base,
          kind: 'terminate',
          target: { type: 'session', backend: key.backend, name: key.name },
        },
      };
    case 'lane-abandoned':
      return {
        ok: true,
        action: {
          ...base,
          wave: WAVES.remove,
          kind: 'remove',
          path: key.path,
          target: 'lane-worktree',
          discardIgnored: options.discardIgnored === true,
        },
      };
    default:
      return { ok: false, reason: `${item.id}: nothing can be done for ${item.key}` };
  }
}
