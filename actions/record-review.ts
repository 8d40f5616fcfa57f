import { join } from 'node:path';
import { observeReview, REVIEW_FILE } from '../store/review-file.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import type { ReviewRecord } from '../specs/orphans.js';

/**
 * Rewrites `review.json` with `update` applied to its items (atomic). Callers in one process
 * serialise through this function's queue, so concurrent flags never lose each other.
 */
let queue: Promise<unknown> = Promise.resolve();

export function updateReview(
  stateDir: string,
  update: (items: ReviewRecord[]) => ReviewRecord[],
): Promise<ReviewRecord[]> {
  const run = queue.then(async () => {
    const current = await observeReview(stateDir);
    if (current.status === 'unavailable') throw new Error(current.reason);
    const next = update([...current.items]);
    await writeFileAtomic(
      join(stateDir, REVIEW_FILE),
      `${JSON.stringify({ items: next }, null, 2)}\n`,
    );
    return next;
  });
  queue = run.catch(() => undefined);
  return run;
}
