import { identityChanges } from './identity-text.js';
import type { FlagAction } from './plan.js';
import type { ReviewRecord } from './state-files.js';

/**
 * Whether a flag is settled by the review list already: its key was dismissed (left alone for
 * good, look-alikes included), or it is pending as this very thing. A pending item of the same
 * key but another identity (or none: recorded before identities were) does not settle it.
 */
export function isSettledBy(review: readonly ReviewRecord[], action: FlagAction): boolean {
  return review.some(
    (item) =>
      item.key === action.key &&
      (item.status === 'dismissed' || identityChanges(item.identity, action.identity) === null),
  );
}

/**
 * The review list after recording `flags`: a flag already settled changes nothing; any other
 * replaces the pending items of its key (what they named is no longer there: approving them
 * could only be refused) and is added as a new pending item.
 */
export function recordFlags(
  items: readonly ReviewRecord[],
  flags: readonly FlagAction[],
  flaggedAt: string,
): ReviewRecord[] {
  let next = [...items];
  for (const action of flags) {
    if (isSettledBy(next, action)) continue;
    next = next.filter((item) => item.key !== action.key || item.status !== 'pending');
    next.push({
      id: action.reviewId,
      key: action.key,
      subject: action.subject,
      reason: action.reason,
      detail: action.detail,
      status: 'pending',
      flaggedAt,
      ...(action.identity === undefined ? {} : { identity: action.identity }),
      ...(action.remedy === undefined ? {} : { remedy: action.remedy }),
    });
  }
  return next;
}
