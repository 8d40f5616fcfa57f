import { join } from 'node:path';
import type { Observation } from '../specs/actual-state.js';
import { type ReviewRecord, ReviewFileSpec } from '../specs/state-files.js';
import { readJsonFile } from './json-file.js';

export const REVIEW_FILE = 'review.json';

/**
 * The NeedsReview items of the state dir (`review.json`); no file is an empty list. A file that
 * does not match its schema is unavailable (never read as "nothing to review").
 */
export async function observeReview(stateDir: string): Promise<Observation<ReviewRecord>> {
  const read = await readJsonFile(join(stateDir, REVIEW_FILE), ReviewFileSpec);
  if (read.status === 'missing') return { status: 'ok', items: [] };
  if (read.status === 'ok') return { status: 'ok', items: read.value.items };
  return {
    status: 'unavailable',
    reason: `${REVIEW_FILE} is not valid (${read.reason}): fix or remove it`,
  };
}
