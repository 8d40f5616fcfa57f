import type { Outcome } from '../specs/outcome.js';

/** Per-resource retry state of the continuous loop. */
export interface BackoffEntry {
  readonly failures: number;
  readonly retryAt: number;
}

export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_MAX_MS = 300_000;

/** Whether the resource `key` is still waiting out its backoff at `now` (pure). */
export function isBackedOff(
  table: ReadonlyMap<string, BackoffEntry>,
  key: string,
  now: number,
): boolean {
  const entry = table.get(key);
  return entry !== undefined && entry.retryAt > now;
}

/**
 * The table after a pass (pure): a failure doubles the wait of its resource (5 s, 10 s, ... up to
 * 5 min); a success clears it.
 */
export function recordOutcomes(
  table: ReadonlyMap<string, BackoffEntry>,
  outcomes: readonly Outcome[],
  now: number,
): Map<string, BackoffEntry> {
  const next = new Map(table);
  for (const outcome of outcomes) {
    if (outcome.status === 'succeeded') next.delete(outcome.key);
    if (outcome.status !== 'failed') continue;
    const failures = (table.get(outcome.key)?.failures ?? 0) + 1;
    next.set(outcome.key, {
      failures,
      retryAt: now + Math.min(BACKOFF_BASE_MS * 2 ** (failures - 1), BACKOFF_MAX_MS),
    });
  }
  return next;
}
