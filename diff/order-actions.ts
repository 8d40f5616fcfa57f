import type { Action } from '../specs/plan.js';

/**
 * The one ordering rule of a plan: by wave (reattach 1, reinventory 2, respawn 3, cleanup 4),
 * then by key so that the same inputs always give the same plan.
 */
export function compareActions(a: Action, b: Action): number {
  if (a.wave !== b.wave) return a.wave - b.wave;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Groups an ordered action list into its waves, in order. */
export function groupByWave(actions: readonly Action[]): Action[][] {
  const waves = new Map<number, Action[]>();
  for (const action of [...actions].sort(compareActions)) {
    const wave = waves.get(action.wave) ?? [];
    wave.push(action);
    waves.set(action.wave, wave);
  }
  return [...waves.values()];
}
