import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../specs/checkpoint-store.js';

export interface CrashRecord {
  readonly detectedAt: string;
  readonly reason: string;
  readonly previousPid: number | null;
}

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

export async function readCrashHistory(stateDir: string): Promise<CrashRecord[]> {
  try {
    const parsed = JSON.parse(await readFile(join(stateDir, HISTORY), 'utf8')) as unknown;
    return Array.isArray(parsed) ? (parsed as CrashRecord[]) : [];
  } catch {
    return [];
  }
}

export async function readLastCrash(stateDir: string): Promise<CrashRecord | null> {
  try {
    return JSON.parse(await readFile(join(stateDir, LAST_CRASH), 'utf8')) as CrashRecord;
  } catch {
    return null;
  }
}
