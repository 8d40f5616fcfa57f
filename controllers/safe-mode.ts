import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../specs/checkpoint-store.js';
import type { CrashRecord } from './crash-records.js';

export const SAFE_MODE_FILE = 'safe-mode.json';
/** A crash loop: this many crashes within the window (PRODUCT.md section 3). */
export const CRASH_LOOP_COUNT = 3;
export const CRASH_LOOP_WINDOW_MS = 60_000;

export interface SafeModeRecord {
  readonly enteredAt: string;
  readonly reason: string;
  readonly crashes: number;
}

/** Crashes recorded within the window before `now` (pure). */
export function crashesInWindow(history: readonly CrashRecord[], now: number): number {
  return history.filter((crash) => now - Date.parse(crash.detectedAt) <= CRASH_LOOP_WINDOW_MS)
    .length;
}

export async function readSafeMode(stateDir: string): Promise<SafeModeRecord | null> {
  try {
    return JSON.parse(await readFile(join(stateDir, SAFE_MODE_FILE), 'utf8')) as SafeModeRecord;
  } catch {
    return null;
  }
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

export { isShellCommand } from '../actions/launch-command.js';
