import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CheckpointServers,
  CheckpointServersSpec,
  CrashHistorySpec,
  type CrashRecord,
  CrashRecordSpec,
  type RecoveryState,
  RecoveryStateSpec,
  type SafeModeRecord,
  SafeModeRecordSpec,
} from '../specs/state-files.js';
import { writeFileAtomic } from './atomic-file.js';
import { readJsonFile, valueOrNull } from './json-file.js';

/*
 * The recovery's own files in the state dir: where a recovery stands (recovery-state.json), the
 * crashes detected (last-crash.json, crash-history.json) and crash-loop safe mode (safe-mode.json).
 */

export const RECOVERY_STATE_FILE = 'recovery-state.json';

/** The persisted recovery state, or null when there is none (or it does not match its schema). */
export async function readRecoveryState(stateDir: string): Promise<RecoveryState | null> {
  return valueOrNull(await readJsonFile(join(stateDir, RECOVERY_STATE_FILE), RecoveryStateSpec));
}

/** Persists the state atomically: a crash leaves either the old or the new state. */
export async function writeRecoveryState(stateDir: string, state: RecoveryState): Promise<void> {
  await writeFileAtomic(join(stateDir, RECOVERY_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
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

/** The recorded crashes, oldest first; a missing or invalid history is empty. */
export async function readCrashHistory(stateDir: string): Promise<CrashRecord[]> {
  return valueOrNull(await readJsonFile(join(stateDir, HISTORY), CrashHistorySpec)) ?? [];
}

export async function readLastCrash(stateDir: string): Promise<CrashRecord | null> {
  return valueOrNull(await readJsonFile(join(stateDir, LAST_CRASH), CrashRecordSpec));
}

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

export const CHECKPOINT_SERVERS_FILE = 'checkpoint-servers.json';

/** The servers the checkpoint of `generation` saw; null when none was recorded for it. */
export async function readCheckpointServers(
  stateDir: string,
  generation: number,
): Promise<CheckpointServers | null> {
  const read = valueOrNull(
    await readJsonFile(join(stateDir, CHECKPOINT_SERVERS_FILE), CheckpointServersSpec),
  );
  return read?.generation === generation ? read : null;
}

export async function writeCheckpointServers(
  stateDir: string,
  servers: CheckpointServers,
): Promise<void> {
  await writeFileAtomic(join(stateDir, CHECKPOINT_SERVERS_FILE), `${JSON.stringify(servers)}\n`);
}
