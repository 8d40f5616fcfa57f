import { link } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DEFAULT_KEEP_COUNT } from '../specs/checkpoint-retention.js';
import { decodeCheckpoint } from '../specs/checkpoint-codec.js';
import { CheckpointEnvelopeSpec, type CheckpointSpec } from '../specs/checkpoint-spec.js';
import type { DesiredState } from '../specs/desired-state.js';
import { writeFileAtomic } from './atomic-file.js';
import { readBoundedFile } from './bounded-read.js';
import {
  CURRENT,
  listCheckpointFiles,
  listSnapshotFiles,
  NUMBERED,
  pruneGenerations,
  readCheckpointFile,
} from './checkpoint-generations.js';
import { ensureTrustedDir, untrustedReason } from './private-dir.js';
import type { SkippedCheckpoint } from '../specs/reports.js';

/** How many previous generations are kept beside `checkpoint.json` by default. */
export const KEPT_GENERATIONS = DEFAULT_KEEP_COUNT;

export type LoadResult =
  | {
      readonly ok: true;
      readonly desired: DesiredState;
      readonly file: string;
      /** Checkpoint files present (current + generations). */
      readonly found: number;
      readonly skipped: readonly SkippedCheckpoint[];
    }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly found: number;
      readonly skipped: readonly SkippedCheckpoint[];
    };

/**
 * Loads the newest valid checkpoint. Files that do not parse or have an unknown apiVersion are
 * skipped (and reported) in favour of the previous generation. `*.tmp` files are never read.
 * A state dir that is not the current user's own (or is writable by others) is not read at all.
 */
export async function loadNewestCheckpoint(stateDir: string): Promise<LoadResult> {
  const untrusted = await untrustedReason(stateDir);
  if (untrusted !== null) return { ok: false, reason: untrusted, found: 0, skipped: [] };
  const files = await listCheckpointFiles(stateDir);
  const skipped: SkippedCheckpoint[] = [];
  for (const file of files) {
    const decoded = await readCheckpointFile(file);
    if (decoded.ok)
      return { ok: true, desired: decoded.desired, file, found: files.length, skipped };
    skipped.push({ file, reason: decoded.reason });
  }
  const reason =
    files.length === 0
      ? `no checkpoint in ${stateDir}`
      : `no valid checkpoint among ${files.length} file(s) in ${stateDir} (${basename(skipped[0]!.file)}: ${skipped[0]!.reason})`;
  return { ok: false, reason, found: files.length, skipped };
}

/**
 * The generation a new checkpoint should carry: one above any present (snapshots included). A
 * previous generation's number is its file's name: `checkpoint.<N>.json` is only ever the current
 * file linked under its own generation (writeCheckpoint), so only the current file and the named
 * snapshots are read. Reading every kept generation whole (up to 50 by default, megabytes each
 * with scrollback) made every save slower the more history it kept; and a torn
 * `checkpoint.<N>.json` now still holds its number, which is never written again.
 */
export async function nextGeneration(stateDir: string): Promise<number> {
  let highest = -1;
  const snapshots = (await listSnapshotFiles(stateDir)).map((snapshot) => snapshot.file);
  for (const file of [...(await listCheckpointFiles(stateDir)), ...snapshots]) {
    const named = Number(NUMBERED.exec(basename(file))?.[1]);
    // A name too large for a generation (a stray file) is read as any other file.
    const generation = isGenerationNumber(named) ? named : await readGeneration(file);
    if (generation !== null) highest = Math.max(highest, generation);
  }
  return highest + 1;
}

/**
 * Writes `document` as the current checkpoint: the previous current one is kept as
 * `checkpoint.<generation>.json`, the new one goes to a temp file in the same dir, is fsynced,
 * renamed over `checkpoint.json`, and the dir is fsynced. Older generations are then pruned by
 * the retention policy (store/checkpoint-generations.ts); named snapshots are never touched.
 * A document that would not read back (empty, torn, with a corrupt entry) never becomes current.
 */
export async function writeCheckpoint(stateDir: string, document: CheckpointSpec): Promise<string> {
  const text = `${JSON.stringify(document, null, 2)}\n`;
  // What we write must read back whole: a document that would load with corrupt entries (or
  // not at all) is refused here, and the previous generations stay as they are.
  const readBack = decodeCheckpoint(text);
  if (!readBack.ok)
    throw new Error(`refusing to write a checkpoint that does not read back: ${readBack.reason}`);
  if (readBack.desired.corrupt.length > 0)
    throw new Error(
      `refusing to write a checkpoint that does not read back: ${readBack.desired.corrupt.map((entry) => `${entry.key} (${entry.detail})`).join(', ')}`,
    );
  await ensureTrustedDir(stateDir);
  const current = join(stateDir, CURRENT);
  const previous = await readGeneration(current);
  if (previous !== null) {
    await link(current, join(stateDir, `checkpoint.${previous}.json`)).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      },
    );
  }
  await writeFileAtomic(current, text);
  await pruneGenerations(stateDir, { currentReads: true });
  return current;
}

/** A number a generation can carry and still have one above it. */
const isGenerationNumber = (n: number) => Number.isSafeInteger(n) && n < Number.MAX_SAFE_INTEGER;

/** The generation `checkpoint.json` carries, read without decoding its entries, or null. */
export const currentGeneration = (stateDir: string) => readGeneration(join(stateDir, CURRENT));

async function readGeneration(file: string): Promise<number | null> {
  try {
    const text = await readBoundedFile(file, { noFollow: true });
    const parsed = CheckpointEnvelopeSpec.pick({ generation: true }).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.generation : null;
  } catch {
    return null;
  }
}
