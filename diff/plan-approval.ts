import { identityChanges } from '../specs/identity-text.js';
import type { ReviewRecord } from '../specs/orphans.js';
import {
  WAVES,
  type FlagAction,
  type Plan,
  type RemoveAction,
  type TerminateAction,
} from '../specs/plan.js';
import type { Remedy } from '../specs/remedies.js';
import { parseResourceKey } from '../specs/resource-keys.js';

/**
 * How the operator approves a lane: of the files its review item listed, the git-ignored ones
 * go only with `discardIgnored`, the ones git status does not show (skip-worktree,
 * assume-unchanged, edits included) only with `discardHiddenEdits`. Files it did not list never.
 */
export interface ApprovalOptions {
  readonly discardIgnored?: boolean | undefined;
  readonly discardHiddenEdits?: boolean | undefined;
}

export type Approval =
  | { readonly ok: true; readonly action: TerminateAction | RemoveAction }
  | {
      readonly ok: false;
      readonly reason: string;
      /** What the operator can do instead. */
      readonly remedy?: Remedy | undefined;
      /** The thing now under the item's key, to record as a new review item in its place. */
      readonly reflag?: FlagAction | undefined;
    };

/**
 * The operator approved review item `item`: the one cleanup action that settles it, planned
 * against `fresh`, a plan of the world as it is now that flags reviewed items again. Refused
 * while any observation is unavailable (blind means hands off), when the fresh plan no longer
 * flags the item (adopted into the checkpoint, live again, gone), and when what it flags under
 * the item's key is not the thing that was reviewed (another session of that name, a lane that
 * moved or holds other files, or an item recorded before identities were): then the refusal
 * names what changed and hands back the fresh flag, a new item for the operator to review. A
 * process is fenced by its start time (its key); a lane worktree keeps every uncommitted
 * change (its executor checks again right before).
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
  const now = fresh.actions.find(
    (action): action is FlagAction => action.kind === 'flag' && action.key === item.key,
  );
  if (!now)
    return {
      ok: false,
      reason: `${item.id} is no longer what was reviewed (${item.detail}): it is gone, live again or now in the checkpoint; refused`,
      remedy: { code: 'dismiss_review', reviewId: item.id },
    };
  if (item.identity === undefined && now.identity !== undefined)
    return {
      ok: false,
      reason: `${item.id} was reviewed before identities were recorded: refused (it is flagged again as ${now.reviewId})`,
      remedy: { code: 'review_orphans', reviewId: now.reviewId },
      reflag: now,
    };
  const changed = identityChanges(item.identity, now.identity);
  if (changed !== null)
    return {
      ok: false,
      reason: `${item.id} is not what was reviewed: ${changed}; refused (what is there now is flagged as ${now.reviewId})`,
      remedy: { code: 'review_orphans', reviewId: now.reviewId },
      reflag: now,
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
    case 'lane-abandoned': {
      const lane = item.identity?.type === 'lane' ? item.identity : null;
      return {
        ok: true,
        action: {
          ...base,
          wave: WAVES.remove,
          kind: 'remove',
          path: key.path,
          target: 'lane-worktree',
          reviewId: item.id,
          // Exactly what the review listed: anything else the executor finds refuses removal.
          ...(options.discardIgnored && lane ? { discardIgnored: lane.ignored } : {}),
          ...(options.discardHiddenEdits && lane
            ? { discardHidden: [...lane.skipWorktree, ...lane.assumeUnchanged] }
            : {}),
        },
      };
    }
    default:
      return { ok: false, reason: `${item.id}: nothing can be done for ${item.key}` };
  }
}
