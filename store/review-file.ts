import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Observation } from '../specs/actual-state.js';
import type { ReviewRecord } from '../specs/orphans.js';

export const REVIEW_FILE = 'review.json';

/** The NeedsReview items of the state dir (`review.json`); no file is an empty list. */
export async function observeReview(stateDir: string): Promise<Observation<ReviewRecord>> {
  let text: string;
  try {
    text = await readFile(join(stateDir, REVIEW_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? { status: 'ok', items: [] }
      : { status: 'unavailable', reason: `cannot read ${REVIEW_FILE} (${code})` };
  }
  try {
    const parsed = JSON.parse(text) as { items?: unknown };
    if (!Array.isArray(parsed.items)) throw new Error('no items');
    return { status: 'ok', items: parsed.items as ReviewRecord[] };
  } catch {
    return { status: 'unavailable', reason: `${REVIEW_FILE} is not valid: fix or remove it` };
  }
}
