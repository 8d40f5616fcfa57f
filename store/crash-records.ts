import { join } from 'node:path';
import { CrashHistorySpec, type CrashRecord, CrashRecordSpec } from '../specs/state-files.js';
import { writeFileAtomic } from './atomic-file.js';
import { readJsonFile, valueOrNull } from './json-file.js';

const LAST_CRASH = 'last-crash.json';
const HISTORY = 'crash-history.json';
const HISTORY_KEPT = 50;

/** Records a detected crash: `last-crash.json` and an entry in `crash-history.json`. */
export async function recordCrash(stateDir: string, crash: CrashRecord): Promise<void> {
  const history = await readCrashHistory(stateDir);
  await writeFileAtomic(join(stateDir, LAST_CRASH), `${JSON.stringify(crash, null, 2)}\n`);
  await writeFileAtomic(
    join(stateDir, HISTORY),
    `${JSON.stringify([...history, crash].slice(-HISTORY_KEPT), null, 2)}\n`,
  );
}

/** The recorded crashes, oldest first; a missing or invalid history is empty. */
export async function readCrashHistory(stateDir: string): Promise<CrashRecord[]> {
  return valueOrNull(await readJsonFile(join(stateDir, HISTORY), CrashHistorySpec)) ?? [];
}

export async function readLastCrash(stateDir: string): Promise<CrashRecord | null> {
  return valueOrNull(await readJsonFile(join(stateDir, LAST_CRASH), CrashRecordSpec));
}
