import { z } from 'zod';

/*
 * Which checkpoint generations a state dir keeps, and what a named snapshot may be called. Pure.
 * Kept, beside the current checkpoint: the newest `keepCount` previous generations, and every
 * other one younger than `keepAgeMs`, but never more than MAX_KEPT_GENERATIONS in all (so a fast
 * autosave cannot fill the disk). Named snapshots are files of their own and never pruned.
 */

export const DEFAULT_KEEP_COUNT = 5;
export const DEFAULT_KEEP_AGE_MS = 24 * 60 * 60 * 1000;
/** The most previous generations the age rule keeps (a larger keepCount still wins). */
export const MAX_KEPT_GENERATIONS = 50;
export const MAX_KEEP_COUNT = 1000;
export const MAX_KEEP_AGE_MS = 365 * 24 * 60 * 60 * 1000;
export const MAX_SNAPSHOT_NAME = 64;

export const RetentionSpec = z.object({
  version: z.literal(1),
  keepCount: z.number().int().min(0).max(MAX_KEEP_COUNT),
  keepAgeMs: z.number().int().min(0).max(MAX_KEEP_AGE_MS),
});
export type Retention = z.infer<typeof RetentionSpec>;

export const DEFAULT_RETENTION: Retention = {
  version: 1,
  keepCount: DEFAULT_KEEP_COUNT,
  keepAgeMs: DEFAULT_KEEP_AGE_MS,
};

/** Why `name` cannot name a snapshot, or null. Digits alone would read as a generation number. */
export function snapshotNameProblem(name: string): string | null {
  if (name.length === 0) return 'a snapshot name cannot be empty';
  if (name.length > MAX_SNAPSHOT_NAME)
    return `a snapshot name has at most ${MAX_SNAPSHOT_NAME} characters`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    return 'a snapshot name holds letters, digits and . _ - only, and starts with a letter or digit';
  if (/^\d+$/.test(name)) return 'a snapshot name cannot be digits only (that is a generation)';
  return null;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `24h`, `7d` or `0` in milliseconds; null when it is none of them. */
export function parseDuration(text: string): number | null {
  if (text === '0') return 0;
  const match = /^([1-9]\d{0,5})([smhd])$/.exec(text);
  return match ? Number(match[1]) * UNITS[match[2]!]! : null;
}

/** The shortest exact form: `24h`, `90m`, `0`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  for (const unit of ['d', 'h', 'm', 's'])
    if (ms % UNITS[unit]! === 0) return `${ms / UNITS[unit]!}${unit}`;
  return `${ms}ms`;
}

/** A previous generation's file as pruning sees it. */
export interface KeptGeneration {
  readonly generation: number;
  /** How long ago it was written (its file's mtime). */
  readonly ageMs: number;
}

/**
 * The generations to remove, given the previous generations (any order), the policy and the
 * generations that must stay whatever the policy says (the newest valid one when the current
 * file does not read).
 */
export function generationsToPrune(
  previous: readonly KeptGeneration[],
  policy: Retention,
  protect: ReadonlySet<number> = new Set(),
): number[] {
  const newestFirst = [...previous].sort((a, b) => b.generation - a.generation);
  const cap = Math.max(policy.keepCount, MAX_KEPT_GENERATIONS);
  const prune: number[] = [];
  let kept = 0;
  newestFirst.forEach((entry, index) => {
    const keep =
      protect.has(entry.generation) ||
      index < policy.keepCount ||
      // keepAgeMs 0 is no age rule: a file's mtime has fractions of a millisecond that
      // Date.now() has not, so one written in the prune's own millisecond reads as -0.x ms old.
      (policy.keepAgeMs > 0 && entry.ageMs < policy.keepAgeMs && kept < cap);
    if (keep) kept += 1;
    else prune.push(entry.generation);
  });
  return prune;
}
