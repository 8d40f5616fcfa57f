import { canonicalJson } from '../../specs/canonical-json.js';
import type { Outcome } from '../../specs/outcome.js';
import type { Action } from '../../specs/plan.js';

/** Per-resource retry state of the continuous loop. */
export interface BackoffEntry {
  readonly failures: number;
  readonly retryAt: number;
  /**
   * A terminal failure parks the action it failed on (its canonical text): not retried while the
   * plan asks for exactly that action again, retried once it changes (the checkpoint entry was
   * edited) or leaves the plan (blocked, converged) and comes back.
   */
  readonly parked?: string | undefined;
}

export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_MAX_MS = 300_000;

const signatureOf = (action: Action) => canonicalJson(action);

/** Whether `action` is still waiting out its backoff at `now`, or parked (pure). */
export function isBackedOff(
  table: ReadonlyMap<string, BackoffEntry>,
  action: Action,
  now: number,
): boolean {
  const entry = table.get(action.key);
  if (entry === undefined) return false;
  if (entry.parked !== undefined) return entry.parked === signatureOf(action);
  return entry.retryAt > now;
}

/**
 * The table after a pass (pure): a failure doubles the wait of its resource (`baseMs`, twice
 * that, ... up to 5 min); a terminal failure parks its action; a success clears it. Parked
 * resources the plan no longer asks for are released, so they are tried again when they return.
 */
export function recordOutcomes(
  table: ReadonlyMap<string, BackoffEntry>,
  outcomes: readonly Outcome[],
  planned: readonly Action[],
  now: number,
  baseMs = BACKOFF_BASE_MS,
): Map<string, BackoffEntry> {
  const next = new Map(table);
  const byKey = new Map(planned.map((action) => [action.key, action]));
  for (const [key, entry] of table)
    if (entry.parked !== undefined && !byKey.has(key)) next.delete(key);
  for (const outcome of outcomes) {
    if (outcome.status === 'succeeded') next.delete(outcome.key);
    if (outcome.status !== 'failed') continue;
    const failures = (table.get(outcome.key)?.failures ?? 0) + 1;
    const action = byKey.get(outcome.key);
    next.set(outcome.key, {
      failures,
      retryAt: now + Math.min(baseMs * 2 ** (failures - 1), BACKOFF_MAX_MS),
      parked: outcome.terminal && action ? signatureOf(action) : undefined,
    });
  }
  return next;
}
