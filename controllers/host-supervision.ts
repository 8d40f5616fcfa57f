import type { RecoveryEvent } from '../specs/events.js';
import type { SafeModeRecord } from '../specs/state-files.js';
import { readCrashHistory, readSafeMode } from '../store/recovery-files.js';
import { createEventBus } from './event-bus.js';
import { crashesInWindow } from './recover/detect-crash.js';
import { openWorkspace } from './recover/open-workspace.js';
import { trackUnsavedState } from './recover/unsaved-state.js';
import { type HeldLock, shareWithHost } from './workspace-lock.js';
import type { WorkspaceConfig } from './workspace-config.js';

/** What opening the workspace for a host process found. */
export type HostOpening =
  | { readonly ok: false; readonly reason: string }
  | {
      readonly ok: true;
      /** The previous holder (a host process, the CLI, the daemon) died holding the lock. */
      readonly crashDetected: boolean;
      /** Crashes recorded within the crash-loop window. */
      readonly recentCrashes: number;
      /** Set once three crashes came within 60 s: restore shells only until it is left. */
      readonly safeMode: SafeModeRecord | null;
      /** Releases the lock (and stops its heartbeat); a host that dies leaves it stale. */
      readonly release: () => Promise<void>;
    };

/**
 * Opens the workspace for a long-lived host process, as `recover` and `run` open it: a state
 * dir that cannot be trusted is refused, a live holder refuses, a stale lock (its holder died)
 * is recorded as a crash, three crashes within 60 s enter safe mode, and the lock is taken
 * with a heartbeat every 2 s (the watchdog: a holder whose heartbeat stops is stale, so the
 * next opening records its crash). Events go to `onEvent`.
 */
export async function openForHost(
  config: WorkspaceConfig,
  onEvent: (event: RecoveryEvent) => void,
): Promise<HostOpening> {
  const bus = createEventBus();
  const forwarding = bus.events$.subscribe(onEvent);
  try {
    const unsaved = trackUnsavedState(bus);
    const opened = await openWorkspace(config, bus, Date.now, unsaved, 'host');
    if (opened.refused !== undefined) return { ok: false, reason: opened.refused };
    // The host's own restores run under this lock (restore() takes one only without it).
    const lock: HeldLock | null = opened.lock && shareWithHost(config.stateDir, opened.lock);
    const [history, safeMode] = await Promise.all([
      readCrashHistory(config.stateDir),
      readSafeMode(config.stateDir),
    ]);
    return {
      ok: true,
      crashDetected: opened.crashDetected,
      recentCrashes: crashesInWindow(history, Date.now()),
      safeMode,
      release: async () => {
        await lock?.release();
      },
    };
  } finally {
    bus.complete();
    forwarding.unsubscribe();
  }
}
