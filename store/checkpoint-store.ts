import { link, readdir, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { decodeCheckpoint } from '../specs/checkpoint-codec.js';
import { CheckpointEnvelopeSpec, type CheckpointSpec } from '../specs/checkpoint-spec.js';
import type { DesiredState } from '../specs/desired-state.js';
import { writeFileAtomic } from './atomic-file.js';
import { readBoundedFile, RefusedFileError } from './bounded-read.js';
import { ensureTrustedDir, untrustedReason } from './private-dir.js';
import type { SkippedCheckpoint } from '../specs/reports.js';

/** How many previous generations are kept beside `checkpoint.json`. */
export const KEPT_GENERATIONS = 5;
const CURRENT = 'checkpoint.json';
const NUMBERED = /^checkpoint\.(\d+)\.json$/;

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

/** The checkpoint files of a state dir, newest first: `checkpoint.json`, then by generation. */
async function listCheckpointFiles(stateDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(stateDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const numbered = names
    .map((name) => ({ name, match: NUMBERED.exec(name) }))
    .filter((entry) => entry.match !== null)
    .sort((a, b) => Number(b.match![1]) - Number(a.match![1]))
    .map((entry) => entry.name);
  const files = names.includes(CURRENT) ? [CURRENT, ...numbered] : numbered;
  return files.map((name) => join(stateDir, name));
}

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
    let text: string;
    try {
      text = await readBoundedFile(file, { noFollow: true });
    } catch (error) {
      if (error instanceof RefusedFileError) {
        skipped.push({ file, reason: error.message });
        continue;
      }
      skipped.push({
        file,
        reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      });
      continue;
    }
    const decoded = decodeCheckpoint(text);
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

/** The generation a new checkpoint should carry: one above any present. */
export async function nextGeneration(stateDir: string): Promise<number> {
  let highest = -1;
  for (const file of await listCheckpointFiles(stateDir)) {
    const generation = await readGeneration(file);
    if (generation !== null) highest = Math.max(highest, generation);
  }
  return highest + 1;
}

/**
 * Writes `document` as the current checkpoint: the previous current one is kept as
 * `checkpoint.<generation>.json`, the new one goes to a temp file in the same dir, is fsynced,
 * renamed over `checkpoint.json`, and the dir is fsynced. Older generations beyond 5 are pruned.
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
  await pruneGenerations(stateDir);
  return current;
}

async function pruneGenerations(stateDir: string): Promise<void> {
  const numbered = (await listCheckpointFiles(stateDir)).filter((file) =>
    NUMBERED.test(file.split('/').pop()!),
  );
  await Promise.all(
    numbered.slice(KEPT_GENERATIONS).map((file) => unlink(file).catch(() => undefined)),
  );
}

async function readGeneration(file: string): Promise<number | null> {
  try {
    const text = await readBoundedFile(file, { noFollow: true });
    const parsed = CheckpointEnvelopeSpec.pick({ generation: true }).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.generation : null;
  } catch {
    return null;
  }
}
