/** A desired item and the actual item with the same key; either side may be missing. */
export interface Pair<D, A> {
  readonly key: string;
  readonly desired?: D;
  readonly actual?: A;
}

/**
 * Pairs desired and actual items by explicit key. No desired side = orphan candidate; no actual
 * side = restore candidate. Pairs come sorted by key; on duplicate keys the first item wins.
 */
export function pairByKey<D, A>(
  desired: readonly D[],
  actual: readonly A[],
  keyOfDesired: (item: D) => string,
  keyOfActual: (item: A) => string,
): Pair<D, A>[] {
  const pairs = new Map<string, { key: string; desired?: D; actual?: A }>();
  for (const item of desired) {
    const key = keyOfDesired(item);
    if (!pairs.has(key)) pairs.set(key, { key, desired: item });
  }
  for (const item of actual) {
    const key = keyOfActual(item);
    const pair = pairs.get(key) ?? { key };
    if (pair.actual === undefined) pairs.set(key, { ...pair, actual: item });
  }
  return [...pairs.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
