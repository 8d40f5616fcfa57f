import { untrustedReason } from '../../store/private-dir.js';
import { detectCrash } from './detect-crash.js';
import type { EventBus } from '../event-bus.js';
import { environmentalReason } from '../../store/environmental-error.js';
import type { UnsavedState } from './unsaved-state.js';
import type { WorkspaceConfig } from '../workspace-config.js';
import { acquireLock, type HeldLock } from '../workspace-lock.js';

export type OpenedWorkspace =
  | { readonly refused: string }
  | {
      readonly refused?: undefined;
      /** null when the state dir could not hold a lock (noted in `unsaved`). */
      readonly lock: HeldLock | null;
      readonly crashDetected: boolean;
    };

/**
 * DETECTING's gate: a state dir we cannot trust is refused before anything in it is read; a
 * live holder refuses the run; otherwise the crash of a stale holder is recorded and the lock
 * taken. A state dir that cannot be written (full, read-only) does not stop recovery: it goes
 * on without a lock, and `unsaved` says why.
 */
export async function openWorkspace(
  config: WorkspaceConfig,
  bus: EventBus,
  now: () => number,
  unsaved: UnsavedState,
  command: string,
): Promise<OpenedWorkspace> {
  const untrusted = await untrustedReason(config.stateDir);
  if (untrusted !== null) return { refused: untrusted };
  const detection = await detectCrash(config, bus, now, unsaved);
  if (detection.refused) return { refused: detection.reason };
  const held = await acquireLock(config.stateDir, command, now).catch((error: unknown) => {
    const reason = environmentalReason(error);
    if (reason === null) throw error;
    unsaved.note(`workspace lock not taken: ${reason}`);
    return null;
  });
  if (held !== null && 'refused' in held) {
    return {
      refused: `workspace ${config.workspaceId} is held by ${held.refused}; stop it or wait for it to finish`,
    };
  }
  return { lock: held, crashDetected: detection.crashDetected };
}
