import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type SafeModeRecord, SafeModeRecordSpec } from '../specs/state-files.js';
import { writeFileAtomic } from './atomic-file.js';
import { readJsonFile, valueOrNull } from './json-file.js';

export const SAFE_MODE_FILE = 'safe-mode.json';

/** Safe mode's record, or null when it is off (or its file does not match its schema). */
export async function readSafeMode(stateDir: string): Promise<SafeModeRecord | null> {
  return valueOrNull(await readJsonFile(join(stateDir, SAFE_MODE_FILE), SafeModeRecordSpec));
}

export async function enterSafeMode(stateDir: string, record: SafeModeRecord): Promise<void> {
  await writeFileAtomic(join(stateDir, SAFE_MODE_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** Leaves safe mode; false when it was not on. */
export async function exitSafeMode(stateDir: string): Promise<boolean> {
  try {
    await unlink(join(stateDir, SAFE_MODE_FILE));
    return true;
  } catch {
    return false;
  }
}
