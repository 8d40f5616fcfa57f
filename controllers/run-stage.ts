/** What one attempt of a stage produced. `retryable: false` fails the stage at once. */
export type StageResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly retryable: boolean };

/**
 * Runs one attempt of a stage with a deadline: the attempt's signal aborts at the deadline and
 * the attempt counts as failed (retryable) even if its work ignores the signal. A throw is a bug
 * in a stage; it is reported as a retryable failure with its message, never swallowed silently.
 */
export async function runStageAttempt(
  work: (signal: AbortSignal) => Promise<StageResult>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<StageResult> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const attemptSignal = signal ? AbortSignal.any([signal, deadline]) : deadline;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<StageResult>((resolve) => {
    onAbort = () =>
      resolve({
        ok: false,
        reason: signal?.aborted ? 'aborted' : `stage timed out after ${timeoutMs} ms`,
        retryable: !signal?.aborted,
      });
    attemptSignal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([
      work(attemptSignal).catch((error: unknown): StageResult => ({
        ok: false,
        reason: error instanceof Error ? error.message : String(error),
        retryable: true,
      })),
      aborted,
    ]);
  } finally {
    if (onAbort) attemptSignal.removeEventListener('abort', onAbort);
  }
}
