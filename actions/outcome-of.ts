import type { Outcome } from '../specs/outcome.js';

/** The outcome of one action, timed from `started`. */
export function outcomeOf(
  action: { key: string; kind: Outcome['kind']; reason: string },
  started: number,
  status: Outcome['status'],
  message: string,
): Outcome {
  return {
    key: action.key,
    kind: action.kind,
    status,
    reason: action.reason,
    message,
    durationMs: Date.now() - started,
  };
}
