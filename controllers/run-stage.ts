import type { ActiveStage, RecoveryStage } from '../specs/events.js';
import type { EventBus } from './event-bus.js';
import type { RecoveryState } from '../specs/state-files.js';
import { failedStageOf, MAX_STAGE_ATTEMPTS } from './recovery-machine.js';

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

/**
 * Test-only fault injection, one option for every run that has stages (recover, the daemon):
 * once `pauseAt` is persisted, `onPause` runs before its first attempt (a test crashes the
 * process there, or sends requests while recovery waits).
 */
export interface StageHooks {
  readonly pauseAt?: ActiveStage | undefined;
  readonly onPause?: ((stage: ActiveStage) => Promise<void>) | undefined;
}

/** A stage of recovery and the work of one attempt at it. */
export type StageWork = [
  Exclude<ActiveStage, 'DETECTING' | 'LIVE'>,
  (signal: AbortSignal) => Promise<StageResult>,
];

export interface StageRun {
  /** A resumed run starts at this stage (its reason is announced once). */
  readonly resumeAt: ActiveStage | null;
  readonly resumeReason: string;
  readonly bus: EventBus;
  /** Persists the stage machine (may fail silently when the state dir cannot be written). */
  readonly save: (patch: Partial<RecoveryState>) => Promise<void>;
  readonly attemptOf: () => number;
  readonly timeoutMs: number;
  readonly hooks?: StageHooks | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs the stages in order from the resume point: each attempt is persisted and announced,
 * retried up to MAX_STAGE_ATTEMPTS while its failure is retryable; the first stage that fails
 * ends the run at `<STAGE>_FAILED`. Returns the stage reached (LIVE when all passed).
 */
export async function runStageSequence(
  stages: readonly StageWork[],
  run: StageRun,
): Promise<RecoveryStage> {
  const firstIndex = run.resumeAt
    ? Math.max(
        0,
        stages.findIndex(([stage]) => stage === run.resumeAt),
      )
    : 0;
  let from: RecoveryStage = 'DETECTING';
  for (const [stage, work] of stages.slice(firstIndex)) {
    let result: StageResult = { ok: false, reason: 'not run', retryable: true };
    for (let attempt = 1; attempt <= MAX_STAGE_ATTEMPTS; attempt += 1) {
      await run.save({ stage, attempt });
      const resumed = from === 'DETECTING' && run.resumeAt !== null;
      run.bus.emit('recovery.stage.changed', {
        from,
        to: stage,
        attempt,
        ...(resumed ? { reason: run.resumeReason } : {}),
      });
      from = stage;
      if (attempt === 1 && run.hooks?.pauseAt === stage) await run.hooks.onPause?.(stage);
      result = await runStageAttempt(work, run.timeoutMs, run.signal);
      if (result.ok || !result.retryable) break;
    }
    if (!result.ok) {
      const failed = failedStageOf(stage);
      await run.save({ stage: failed, failureReason: result.reason });
      run.bus.emit('recovery.stage.changed', {
        from: stage,
        to: failed,
        attempt: run.attemptOf(),
        reason: result.reason,
      });
      return failed;
    }
  }
  await run.save({ stage: 'LIVE', attempt: 1 });
  run.bus.emit('recovery.stage.changed', { from, to: 'LIVE', attempt: 1 });
  return 'LIVE';
}
