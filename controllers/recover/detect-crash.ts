import type { CrashRecord } from '../../specs/state-files.js';
import { mkdir } from 'node:fs/promises';
import { readCrashHistory, recordCrash } from '../../store/recovery-files.js';
import type { EventBus } from '../event-bus.js';
import { enterSafeMode, readSafeMode } from '../../store/recovery-files.js';
import type { WorkspaceConfig } from '../workspace-config.js';
import type { UnsavedState } from './unsaved-state.js';
import { inspectLock, liveHolder } from '../workspace-lock.js';

export type Detection =
  | { readonly refused: true; readonly reason: string }
  | { readonly refused: false; readonly crashDetected: boolean };

/**
 * DETECTING: a lock held by a live process refuses the run, also when that holder stalled (a
 * missed heartbeat is not a crash); a stale lock (dead or reused pid, unreadable lock) is a crash
 * of its holder, recorded and announced. Three crashes within 60 s enter safe mode here, before
 * anything is restored.
 */
export async function detectCrash(
  config: WorkspaceConfig,
  bus: EventBus,
  now: () => number,
  unsaved: UnsavedState,
): Promise<Detection> {
  await unsaved.attempt(() => mkdir(config.stateDir, { recursive: true, mode: 0o700 }));
  const lock = await inspectLock(config.stateDir, now());
  const holder = liveHolder(lock);
  if (holder !== null && holder.record.pid !== process.pid) {
    const reason = `workspace ${config.workspaceId} is held by ${holder.text}; stop it or wait for it to finish`;
    return { refused: true, reason };
  }
  if (lock.state !== 'stale') return { refused: false, crashDetected: false };
  const previousPid = lock.record?.pid ?? null;
  await unsaved.attempt(() =>
    recordCrash(config.stateDir, {
      detectedAt: new Date(now()).toISOString(),
      reason: lock.reason,
      previousPid,
    }),
  );
  bus.emit('recovery.crash.detected', { reason: lock.reason, previousPid });
  const crashes = crashesInWindow(await readCrashHistory(config.stateDir), now());
  if (crashes >= CRASH_LOOP_COUNT && (await readSafeMode(config.stateDir)) === null) {
    const reason = `${crashes} crashes within 60 s`;
    await unsaved.attempt(() =>
      enterSafeMode(config.stateDir, { enteredAt: new Date(now()).toISOString(), reason, crashes }),
    );
    bus.emit('recovery.safemode.entered', { reason, crashes });
  }
  return { refused: false, crashDetected: true };
}

/** A crash loop: this many crashes within the window enter safe mode (docs/ARCHITECTURE.md). */
export const CRASH_LOOP_COUNT = 3;
export const CRASH_LOOP_WINDOW_MS = 60_000;

/** Crashes recorded within the window before `now` (pure). */
export function crashesInWindow(history: readonly CrashRecord[], now: number): number {
  return history.filter((crash) => now - Date.parse(crash.detectedAt) <= CRASH_LOOP_WINDOW_MS)
    .length;
}
