import { join } from 'node:path';
import { type RecoveryState, RecoveryStateSpec } from '../specs/state-files.js';
import { writeFileAtomic } from './atomic-file.js';
import { readJsonFile, valueOrNull } from './json-file.js';

export const RECOVERY_STATE_FILE = 'recovery-state.json';

/** The persisted recovery state, or null when there is none (or it does not match its schema). */
export async function readRecoveryState(stateDir: string): Promise<RecoveryState | null> {
  return valueOrNull(await readJsonFile(join(stateDir, RECOVERY_STATE_FILE), RecoveryStateSpec));
}

/** Persists the state atomically: a crash leaves either the old or the new state. */
export async function writeRecoveryState(stateDir: string, state: RecoveryState): Promise<void> {
  await writeFileAtomic(join(stateDir, RECOVERY_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}
