import { describe, expect, it } from 'vitest';
import {
  batchOutcomes,
  SAVE_EVERY_MS,
  SAVE_EVERY_OUTCOMES,
} from '../../../../controllers/recover/outcome-batches.js';
import type { Outcome } from '../../../../specs/outcome.js';

const outcome = (key: string, status: Outcome['status'] = 'failed'): Outcome => ({
  key,
  kind: 'blocked',
  status,
  reason: 'cwd_missing',
  message: `${key} cannot be restored`,
  durationMs: 0,
});

describe('outcomes saved in batches', () => {
  it('saves a burst once per batch, and everything at the flush', async () => {
    const saves: number[] = [];
    const batches = batchOutcomes(
      [],
      async (all) => void saves.push(all.length),
      () => 0,
    );
    for (let i = 0; i < 10_500; i += 1) await batches.add(outcome(`session:b${i}`));
    expect(saves).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * SAVE_EVERY_OUTCOMES));
    await batches.flush();
    expect(saves.at(-1)).toBe(10_500);
    await batches.flush();
    expect(saves).toHaveLength(11);
  });

  it('saves what trickles in once its time is up, never sooner than the last save cost allows', async () => {
    let clock = 0;
    const saves: number[] = [];
    const batches = batchOutcomes(
      [],
      async (all) => {
        saves.push(all.length);
        clock += 100; // this save took 100 ms: the next waits at least 400 ms
      },
      () => clock,
    );
    await batches.add(outcome('session:a'));
    expect(saves).toEqual([]);
    clock += SAVE_EVERY_MS;
    await batches.add(outcome('session:b'));
    expect(saves).toEqual([2]);
    clock += SAVE_EVERY_MS;
    await batches.add(outcome('session:c'));
    expect(saves).toEqual([2]);
    clock += 400 - SAVE_EVERY_MS;
    await batches.add(outcome('session:d'));
    expect(saves).toEqual([2, 4]);
  });

  it('keeps the newest outcome per key in its first place, after what a resumed run saved', async () => {
    let saved: Outcome[] = [];
    const batches = batchOutcomes(
      [outcome('session:a'), outcome('session:b')],
      async (all) => void (saved = all),
      () => 0,
    );
    await batches.add(outcome('session:a', 'succeeded'));
    await batches.add(outcome('session:c'));
    await batches.flush();
    expect(saved.map((o) => [o.key, o.status])).toEqual([
      ['session:a', 'succeeded'],
      ['session:b', 'failed'],
      ['session:c', 'failed'],
    ]);
  });
});
