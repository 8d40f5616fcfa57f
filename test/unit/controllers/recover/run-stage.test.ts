import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../../../controllers/event-bus.js';
import {
  runStageAttempt,
  runStageSequence,
  type StageResult,
} from '../../../../controllers/recover/run-stage.js';
import type { RecoveryEvent } from '../../../../specs/events.js';

/** Resolves after `ms` without looking at any signal: work that ignores time. */
const busyFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once `signal` aborts, after one more turn of the loop (its clean-up). */
const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) =>
    signal.addEventListener('abort', () => setImmediate(resolve), { once: true }),
  );

/** A stage sequence of one stage (RESTORING) whose attempts run `attempt(n, signal)`. */
async function runOneStage(
  attempt: (n: number, signal: AbortSignal) => Promise<StageResult>,
  timeoutMs: number,
  stopGraceMs?: number,
) {
  const bus = createEventBus();
  const events: RecoveryEvent[] = [];
  bus.events$.subscribe((event) => events.push(event));
  let n = 0;
  let current = 1;
  const reached = await runStageSequence([['RESTORING', (signal) => attempt((n += 1), signal)]], {
    resumeAt: null,
    resumeReason: '',
    bus,
    save: async (patch) => {
      if (patch.attempt !== undefined) current = patch.attempt;
    },
    attemptOf: () => current,
    timeoutMs,
    stopGraceMs,
  });
  bus.complete();
  return { reached, attempts: n, events };
}

describe('one attempt of a stage at a time', () => {
  it('waits for a timed-out attempt that ignores its signal before the retry starts', async () => {
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const { reached, attempts } = await runOneStage(
      async (n) => {
        running += 1;
        most = Math.max(most, running);
        log.push(`start ${n}`);
        if (n === 1) await busyFor(150); // ignores its 30 ms deadline and its signal
        log.push(`end ${n}`);
        running -= 1;
        return { ok: true };
      },
      30,
      1_000,
    );
    expect(reached).toBe('LIVE');
    expect(attempts).toBe(2);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    expect(most).toBe(1);
  });

  it('cancels a timed-out attempt through its signal, and retries once it has stopped', async () => {
    const log: string[] = [];
    const { reached, events } = await runOneStage(async (n, signal) => {
      log.push(`start ${n}`);
      if (n === 1) {
        await untilAborted(signal);
        log.push(`stopped 1 (signal aborted: ${signal.aborted})`);
        return { ok: false, reason: 'cancelled', retryable: true };
      }
      return { ok: true };
    }, 30);
    expect(reached).toBe('LIVE');
    expect(log).toEqual(['start 1', 'stopped 1 (signal aborted: true)', 'start 2']);
    const attempts = events
      .filter((e) => e.topic === 'recovery.stage.changed')
      .map((e) => [(e.payload as { to: string }).to, (e.payload as { attempt: number }).attempt]);
    expect(attempts).toEqual([
      ['RESTORING', 1],
      ['RESTORING', 2],
      ['LIVE', 1],
    ]);
  });

  it('fails the stage without a retry when a cancelled attempt does not stop', async () => {
    let finished = false;
    const { reached, attempts, events } = await runOneStage(
      async () => {
        await busyFor(400);
        finished = true;
        return { ok: true };
      },
      20,
      40,
    );
    expect(reached).toBe('RESTORING_FAILED');
    expect(attempts).toBe(1);
    expect(finished).toBe(false);
    const failed = events.at(-1)!.payload as { to: string; reason: string };
    expect(failed.to).toBe('RESTORING_FAILED');
    expect(failed.reason).toMatch(
      /^stage timed out after 20 ms; the attempt did not stop within 40 ms of being cancelled/,
    );
  });
});

describe('runStageAttempt', () => {
  it('passes a result through', async () => {
    expect(await runStageAttempt(async () => ({ ok: true }), 1000)).toEqual({ ok: true });
  });

  it('turns an attempt that overruns its deadline into a retryable failure once it stopped', async () => {
    const result = await runStageAttempt(async (signal) => {
      await untilAborted(signal);
      return { ok: true };
    }, 20);
    expect(result).toEqual({ ok: false, reason: 'stage timed out after 20 ms', retryable: true });
  });

  it('reports a throw with its message, and an abort of the run as final', async () => {
    expect(await runStageAttempt(async () => Promise.reject(new Error('boom')), 1000)).toEqual({
      ok: false,
      reason: 'boom',
      retryable: true,
    });
    const controller = new AbortController();
    let stopped = false;
    const pending = runStageAttempt(
      async (signal) => {
        await untilAborted(signal);
        stopped = true;
        return { ok: true };
      },
      5000,
      controller.signal,
    );
    controller.abort();
    expect(await pending).toEqual({ ok: false, reason: 'aborted', retryable: false });
    expect(stopped).toBe(true);
  });
});
