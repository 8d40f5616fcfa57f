import type { ActiveStage, RecoveryStage } from '../../specs/events.js';
import type { EventBus } from '../event-bus.js';
import type { Remedy } from '../../specs/remedies.js';
import type { RecoveryState } from '../../specs/state-files.js';
import { failedStageOf, MAX_STAGE_ATTEMPTS } from './stage-machine.js';

/** What one attempt of a stage produced. `retryable: false` fails the stage at once. */
export type StageResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly retryable: boolean;
      /** What the operator can do about it, when something can be done. */
      readonly remedy?: Remedy | undefined;
    };

/** How long a cancelled attempt may take to stop, at most (never longer than the stage may). */
export const STOP_GRACE_MS = 10_000;

/**
 * Runs one attempt of a stage with a deadline. At the deadline (or when `signal` aborts) the
 * attempt is cancelled: its signal aborts, and this returns only once the attempt has actually
 * stopped, so a retry never runs beside the attempt it replaces. A cancelled attempt counts as
 * failed whatever it returns: retryable after a timeout, final after an abort of the run. One
 * that does not stop within `stopGraceMs` of being cancelled fails for good (retrying it would
 * run two at once). A throw is a bug in a stage; it is reported as a retryable failure with its
 * message, never swallowed silently.
 */
export async function runStageAttempt(
  work: (signal: AbortSignal) => Promise<StageResult>,
  timeoutMs: number,
  signal?: AbortSignal,
  stopGraceMs: number = Math.min(timeoutMs, STOP_GRACE_MS),
): Promise<StageResult> {
  const cancel = new AbortController();
  const cancelled = new Promise<'cancelled'>((resolve) =>
    cancel.signal.addEventListener('abort', () => resolve('cancelled'), { once: true }),
  );
  const onAbort = () => cancel.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  const deadline = setTimeout(() => cancel.abort(new Error('stage timed out')), timeoutMs);
  let grace: ReturnType<typeof setTimeout> | undefined;
  try {
    const attempt = (async () => work(cancel.signal))().catch((error: unknown): StageResult => ({
      ok: false,
      reason: error instanceof Error ? error.message : String(error),
      retryable: true,
    }));
    const first = await Promise.race([attempt, cancelled]);
    if (first !== 'cancelled') return first;
    const why = signal?.aborted ? 'aborted' : `stage timed out after ${timeoutMs} ms`;
    const stopped = await Promise.race([
      attempt.then(() => true),
      new Promise<false>((resolve) => (grace = setTimeout(() => resolve(false), stopGraceMs))),
    ]);
    if (!stopped) {
      return {
        ok: false,
        reason: `${why}; the attempt did not stop within ${stopGraceMs} ms of being cancelled, so it is not retried while it may still run`,
        retryable: false,
      };
    }
    return { ok: false, reason: why, retryable: !signal?.aborted };
  } finally {
    clearTimeout(deadline);
    clearTimeout(grace);
    signal?.removeEventListener('abort', onAbort);
  }
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
  /** How long a cancelled attempt may take to stop (default: STOP_GRACE_MS, at most timeoutMs). */
  readonly stopGraceMs?: number | undefined;
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
      result = await runStageAttempt(work, run.timeoutMs, run.signal, run.stopGraceMs);
      if (result.ok || !result.retryable) break;
    }
    if (!result.ok) {
      const failed = failedStageOf(stage);
      await run.save({ stage: failed, failureReason: result.reason, failureRemedy: result.remedy });
      run.bus.emit('recovery.stage.changed', {
        from: stage,
        to: failed,
        attempt: run.attemptOf(),
        reason: result.reason,
        ...(result.remedy ? { remedy: result.remedy } : {}),
      });
      return failed;
    }
  }
  await run.save({ stage: 'LIVE', attempt: 1 });
  run.bus.emit('recovery.stage.changed', { from, to: 'LIVE', attempt: 1 });
  return 'LIVE';
}
