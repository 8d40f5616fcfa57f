import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../specs/checkpoint-store.js';
import type { RecoveryState } from './recovery-machine.js';

export const RECOVERY_STATE_FILE = 'recovery-state.json';

/** The persisted recovery state, or null when there is none (or it is unreadable). */
export async function readRecoveryState(stateDir: string): Promise<RecoveryState | null> {
  try {
    const parsed = JSON.parse(
      await readFile(join(stateDir, RECOVERY_STATE_FILE), 'utf8'),
    ) as RecoveryState;
    return parsed.version === 1 && typeof parsed.incarnation === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

/** Persists the state atomically: a crash leaves either the old or the new state. */
export async function writeRecoveryState(stateDir: string, state: RecoveryState): Promise<void> {
  await writeFileAtomic(join(stateDir, RECOVERY_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}
