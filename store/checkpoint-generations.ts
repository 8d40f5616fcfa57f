import { link, lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCheckpoint, type DecodeResult } from '../specs/checkpoint-codec.js';
import {
  DEFAULT_RETENTION,
  generationsToPrune,
  type Retention,
  RetentionSpec,
  snapshotNameProblem,
} from '../specs/checkpoint-retention.js';
import { writeFileAtomic } from './atomic-file.js';
import { readBoundedFile, RefusedFileError } from './bounded-read.js';
import { readJsonFile } from './json-file.js';

/*
 * The files of a state dir's checkpoint generations: `checkpoint.json` (current),
 * `checkpoint.<N>.json` (previous generations, hard links of what was current), named snapshots
 * `snapshot.<NAME>.json` (hard links too, never pruned) and the retention policy
 * `retention.json`.
 */

export const CURRENT = 'checkpoint.json';
export const NUMBERED = /^checkpoint\.(\d+)\.json$/;
const SNAPSHOT = /^snapshot\.(.+)\.json$/;
const RETENTION = 'retention.json';

export const snapshotFile = (stateDir: string, name: string) =>
  join(stateDir, `snapshot.${name}.json`);
export const numberedFile = (stateDir: string, generation: number) =>
  join(stateDir, `checkpoint.${generation}.json`);

async function namesIn(stateDir: string): Promise<string[]> {
  try {
    return await readdir(stateDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The checkpoint files of a state dir, newest first: `checkpoint.json`, then by generation. */
export async function listCheckpointFiles(stateDir: string): Promise<string[]> {
  const names = await namesIn(stateDir);
  const numbered = names
    .map((name) => ({ name, match: NUMBERED.exec(name) }))
    .filter((entry) => entry.match !== null)
    .sort((a, b) => Number(b.match![1]) - Number(a.match![1]))
    .map((entry) => entry.name);
  const files = names.includes(CURRENT) ? [CURRENT, ...numbered] : numbered;
  return files.map((name) => join(stateDir, name));
}

/** The named snapshots of a state dir, by name. */
export async function listSnapshotFiles(
  stateDir: string,
): Promise<{ name: string; file: string }[]> {
  return (await namesIn(stateDir))
    .map((entry) => SNAPSHOT.exec(entry)?.[1])
    .filter((name): name is string => name !== undefined && snapshotNameProblem(name) === null)
    .sort()
    .map((name) => ({ name, file: snapshotFile(stateDir, name) }));
}

/** One checkpoint file read and decoded: its document, or why it does not read. */
export async function readCheckpointFile(file: string): Promise<DecodeResult> {
  let text: string;
  try {
    text = await readBoundedFile(file, { noFollow: true });
  } catch (error) {
    if (error instanceof RefusedFileError) return { ok: false, reason: error.message };
    return {
      ok: false,
      reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
  if (text.length === 0) return { ok: false, reason: 'empty (0 bytes)' };
  return decodeCheckpoint(text);
}

/** When the file was written (its mtime; a hard link keeps it), or null when it is gone. */
export async function writtenAt(file: string): Promise<number | null> {
  try {
    return (await lstat(file)).mtimeMs;
  } catch {
    return null;
  }
}

/** The retention policy in force: `retention.json`, else the defaults (with why, if invalid). */
export async function readRetention(
  stateDir: string,
): Promise<{ policy: Retention; source: 'default' | 'file'; problem: string | null }> {
  const read = await readJsonFile(join(stateDir, RETENTION), RetentionSpec);
  if (read.status === 'ok') return { policy: read.value, source: 'file', problem: null };
  return {
    policy: DEFAULT_RETENTION,
    source: 'default',
    problem: read.status === 'invalid' ? `${RETENTION}: ${read.reason}` : null,
  };
}

export async function writeRetention(stateDir: string, policy: Retention): Promise<void> {
  await writeFileAtomic(join(stateDir, RETENTION), `${JSON.stringify(policy, null, 2)}\n`);
}

/**
 * Removes the previous generations the retention policy does not keep. Never touched: the
 * current file, named snapshots, and, when the current file does not read, the newest previous
 * generation that does (it is what a recovery would use).
 */
export async function pruneGenerations(
  stateDir: string,
  { now = Date.now(), currentReads = false }: { now?: number; currentReads?: boolean } = {},
): Promise<number[]> {
  const { policy } = await readRetention(stateDir);
  const numbered = (await listCheckpointFiles(stateDir)).filter((file) =>
    NUMBERED.test(file.split('/').pop()!),
  );
  const previous = [];
  for (const file of numbered) {
    const mtime = await writtenAt(file);
    const generation = Number(NUMBERED.exec(file.split('/').pop()!)![1]);
    if (mtime !== null) previous.push({ generation, ageMs: now - mtime, file });
  }
  const protect = new Set<number>();
  if (!currentReads && !(await readCheckpointFile(join(stateDir, CURRENT))).ok) {
    for (const entry of previous) {
      const read = await readCheckpointFile(entry.file);
      if (read.ok && read.desired.corrupt.length === 0) {
        protect.add(entry.generation);
        break;
      }
    }
  }
  const prune = generationsToPrune(previous, policy, protect);
  await Promise.all(
    prune.map((generation) => unlink(numberedFile(stateDir, generation)).catch(() => undefined)),
  );
  return prune;
}

/**
 * Links `file` (a generation's file) as the named snapshot `name`. Refused when the name is
 * invalid or already taken: a snapshot is never replaced.
 */
export async function linkSnapshot(stateDir: string, name: string, file: string): Promise<string> {
  const problem = snapshotNameProblem(name);
  if (problem) throw new Error(`invalid snapshot name "${name}": ${problem}`);
  const target = snapshotFile(stateDir, name);
  try {
    await link(file, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new Error(`a snapshot named "${name}" exists already (${target}); choose another name`);
    throw error;
  }
  return target;
}
