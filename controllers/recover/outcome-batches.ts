import type { Outcome } from '../../specs/outcome.js';

/** A batch of outcomes is saved once this many are pending, or this long after the last save. */
export const SAVE_EVERY_OUTCOMES = 1_000;
export const SAVE_EVERY_MS = 250;
/**
 * Each save rewrites every outcome so far, so it grows with the run: the next save waits this
 * many times as long as the last one took. Saving then costs at most a fifth of the run's time,
 * which keeps a run linear in its outcomes however many there are.
 */
const SPACING = 4;

/** The outcomes of a run, newest per key, saved in batches. */
export interface OutcomeBatches {
  /** Records an outcome; saves the batch when one is due. */
  add(outcome: Outcome): Promise<void>;
  /** Saves whatever is pending (at the end of a stage: a resume then sees every outcome). */
  flush(): Promise<void>;
  /** Every outcome so far, in the order their keys first came. */
  all(): Outcome[];
}

/**
 * Batches `save` calls for a stream of outcomes, starting from `initial` (what an interrupted
 * run saved). A crash between two saves loses at most the outcomes since the last one: what they
 * did is in the world, so a resumed run observes it in sync and does not redo it.
 */
export function batchOutcomes(
  initial: readonly Outcome[],
  save: (outcomes: Outcome[]) => Promise<void>,
  now: () => number,
): OutcomeBatches {
  const byKey = new Map(initial.map((outcome) => [outcome.key, outcome]));
  let pending = 0;
  let lastSaved = now();
  let lastCost = 0;
  const all = () => [...byKey.values()];
  const write = async () => {
    pending = 0;
    const started = now();
    await save(all());
    lastSaved = now();
    lastCost = lastSaved - started;
  };
  return {
    async add(outcome) {
      byKey.set(outcome.key, outcome);
      pending += 1;
      const since = now() - lastSaved;
      if (since < lastCost * SPACING) return;
      if (pending >= SAVE_EVERY_OUTCOMES || since >= SAVE_EVERY_MS) await write();
    },
    async flush() {
      if (pending > 0) await write();
    },
    all,
  };
}
