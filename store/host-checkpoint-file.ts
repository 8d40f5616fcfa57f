import { copyFile, rename } from 'node:fs/promises';
import { hostChecksum } from '../specs/host-checkpoint.js';
import { type HeliosV1CheckpointSpec, parseHeliosV1 } from '../specs/import-helios-v1.js';
import { writeFileAtomic } from './atomic-file.js';
import { readBoundedFile } from './bounded-read.js';

/** What reading heliosApp's checkpoint found: the checkpoint, the file it came from, and why. */
export type HostCheckpointRead =
  | {
      readonly ok: true;
      readonly checkpoint: HeliosV1CheckpointSpec;
      readonly file: string;
      /** Set when the backup was read: why the main file was not. */
      readonly fellBack: string | null;
    }
  | { readonly ok: false; readonly reason: string };

async function readOne(file: string): Promise<HeliosV1CheckpointSpec | string> {
  let text: string;
  try {
    text = await readBoundedFile(file, { noFollow: true });
  } catch (error) {
    return `cannot read ${file}: ${(error as Error).message}`;
  }
  const parsed = parseHeliosV1(text);
  if (!parsed.ok) return `${file}: ${parsed.reason}`;
  return parsed.tampered ? `${file}: ${parsed.tampered}` : parsed.data;
}

/**
 * Reads heliosApp's `checkpoint.json` as heliosApp does: when it is missing, unreadable or its
 * checksum fails, `checkpoint.json.backup` beside it is read instead (and why is said).
 */
export async function readHostCheckpoint(file: string): Promise<HostCheckpointRead> {
  const main = await readOne(file);
  if (typeof main !== 'string') return { ok: true, checkpoint: main, file, fellBack: null };
  const backup = await readOne(`${file}.backup`);
  if (typeof backup !== 'string')
    return { ok: true, checkpoint: backup, file: `${file}.backup`, fellBack: main };
  return { ok: false, reason: `${main}; its backup: ${backup}` };
}

/**
 * Writes heliosApp's checkpoint with a fresh checksum, atomically, keeping the one it replaces
 * as `checkpoint.json.backup` (only one that still verifies: a damaged file never becomes the
 * backup).
 */
export async function writeHostCheckpoint(
  file: string,
  checkpoint: Omit<HeliosV1CheckpointSpec, 'checksum'>,
): Promise<void> {
  const previous = await readOne(file);
  if (typeof previous !== 'string') {
    const copy = `${file}.backup.tmp`;
    await copyFile(file, copy);
    await rename(copy, `${file}.backup`);
  }
  const sealed = { ...checkpoint, checksum: hostChecksum(checkpoint.sessions) };
  await writeFileAtomic(file, `${JSON.stringify(sealed, null, 2)}\n`);
}
