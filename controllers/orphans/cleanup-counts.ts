import type { CleanupCounts } from '../../specs/events.js';
import type { Outcome } from '../../specs/outcome.js';
import { observeReview } from '../../store/review-file.js';

/**
 * What a cleanup did, counted one way for recover's RECONCILING and `orphans clean`: what was
 * terminated and removed (a new observation showed it gone), and what now waits for review.
 * `held` names the observations that kept cleanup back, when any did.
 */
export async function countCleanup(
  stateDir: string,
  outcomes: readonly Outcome[],
  held: readonly string[] = [],
): Promise<CleanupCounts> {
  const done = (kind: Outcome['kind']) =>
    outcomes.filter((o) => o.kind === kind && o.status === 'succeeded').length;
  const review = await observeReview(stateDir);
  return {
    terminated: done('terminate'),
    removed: done('remove'),
    reviewPending:
      review.status === 'ok' ? review.items.filter((item) => item.status === 'pending').length : 0,
    ...(held.length > 0 ? { held: [...held] } : {}),
  };
}
