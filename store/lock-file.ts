import { randomBytes } from 'node:crypto';
import { link, unlink, writeFile } from 'node:fs/promises';
import { type LockRecord, LockRecordSpec } from '../specs/state-files.js';
import { type JsonFileRead, readJsonFile, valueOrNull } from './json-file.js';

/** The lock file read through its schema (the fencing policy is controllers/workspace-lock.ts). */
export function readLockFile(path: string): Promise<JsonFileRead<LockRecord>> {
  return readJsonFile(path, LockRecordSpec);
}

/** The lock's record, or null when there is none or it is not a lock record. */
export async function readLockRecord(path: string): Promise<LockRecord | null> {
  return valueOrNull(await readLockFile(path));
}

/** Creates `path` holding `text` only if it does not exist: written aside, then hard-linked. */
export async function createExclusive(path: string, text: string): Promise<boolean> {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(aside, text, { mode: 0o600, flag: 'wx' });
  try {
    await link(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}
