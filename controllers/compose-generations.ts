/*
 * The composition root's generation commands (re-exported by compose.ts): each loads its
 * engine (zod, the store) when called, so no other command, and no CLI start, pays for it.
 */
type Listing = typeof import('./generations.js');
type Writes = typeof import('./generation-writes.js');
const listing = (): Promise<Listing> => import('./generations.js');
const writes = (): Promise<Writes> => import('./generation-writes.js');

export type { GenerationListing, GenerationRow, ResolvedGeneration } from './generations.js';

/** `checkpoints`: the generations and snapshots of the state dir, newest first. */
export async function listGenerations(
  ...args: Parameters<Listing['listGenerations']>
): ReturnType<Listing['listGenerations']> {
  return (await listing()).listGenerations(...args);
}

/** A generation number or snapshot name, read and checked. */
export async function resolveGeneration(
  ...args: Parameters<Listing['resolveGeneration']>
): ReturnType<Listing['resolveGeneration']> {
  return (await listing()).resolveGeneration(...args);
}

/** `checkpoints diff A B`. */
export async function diffGenerations(
  ...args: Parameters<Listing['diffGenerations']>
): ReturnType<Listing['diffGenerations']> {
  return (await listing()).diffGenerations(...args);
}

/** Why NAME cannot be a new snapshot, or null. */
export async function snapshotProblem(
  ...args: Parameters<Writes['snapshotProblem']>
): ReturnType<Writes['snapshotProblem']> {
  return (await writes()).snapshotProblem(...args);
}

/** `checkpoint --keep NAME`: the generation just written, kept as a snapshot. */
export async function keepSnapshot(
  ...args: Parameters<Writes['keepSnapshot']>
): ReturnType<Writes['keepSnapshot']> {
  return (await writes()).keepSnapshot(...args);
}

/** `--keep-count` / `--keep-age`: the workspace's retention policy, saved. */
export async function setRetention(
  ...args: Parameters<Writes['setRetention']>
): ReturnType<Writes['setRetention']> {
  return (await writes()).setRetention(...args);
}

/** The session names of the newest checkpoint (`recover --session` checks against them). */
export async function sessionNamesOf(
  ...args: Parameters<Writes['sessionNamesOf']>
): ReturnType<Writes['sessionNamesOf']> {
  return (await writes()).sessionNamesOf(...args);
}

/** A keep count and a keep age as given (text), checked. */
export async function retentionChangeOf(
  ...args: Parameters<Writes['retentionChangeOf']>
): Promise<ReturnType<Writes['retentionChangeOf']>> {
  return (await writes()).retentionChangeOf(...args);
}
