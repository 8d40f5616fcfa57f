import type { Observable } from 'rxjs';
import { ReplaySubject } from 'rxjs/internal/ReplaySubject';
import {
  configure,
  leaveSafeMode,
  openHostWorkspace,
  type WorkspaceOptions,
} from '../controllers/compose.js';
import { REPLAYED_EVENTS, type RecoveryEvent } from '../specs/events.js';
import { RefusedError } from '../specs/remedies.js';
import type { SafeModeRecord } from '../specs/state-files.js';
import { type HostBus, publishSafely } from './restoration-pipeline.js';

/** What `open()` found. */
export interface SupervisorOpening {
  /** The previous holder of the workspace died holding it: a crash, recorded. */
  readonly crashDetected: boolean;
  /** Crashes within the crash-loop window (three within 60 s enter safe mode). */
  readonly recentCrashes: number;
  /** Safe mode, when on: restores run shells only until `leaveSafeMode()`. */
  readonly safeMode: SafeModeRecord | null;
}

/**
 * The host process's hold on its workspace, the crash-loop detector and safe mode as library
 * pieces: `open()` at start (a holder that died is recorded as a crash; the lock is kept with
 * a heartbeat, the watchdog by which the next start knows this one died), `close()` at a clean
 * exit, `leaveSafeMode()` when the operator says so. The same engine as `recover` and `run`:
 * while the host holds the workspace, neither can start over it.
 */
export class RecoverySupervisor {
  readonly #config: ReturnType<typeof configure>;
  readonly #events = new ReplaySubject<RecoveryEvent>(REPLAYED_EVENTS);
  readonly #publish: ((event: RecoveryEvent) => void) | undefined;
  #release: (() => Promise<void>) | null = null;
  /**
   * `recovery.crash.detected`, `recovery.safemode.entered|exited` (the last REPLAYED_EVENTS
   * replayed).
   */
  readonly events$: Observable<RecoveryEvent> = this.#events.asObservable();

  constructor(options: WorkspaceOptions & HostBus = {}) {
    this.#config = configure(options);
    this.#publish = options.publish;
  }

  #emit(event: RecoveryEvent): void {
    this.#events.next(event);
    publishSafely(this.#publish, event);
  }

  /** Takes the workspace for this process; rejects with a RefusedError when it cannot. */
  async open(): Promise<SupervisorOpening> {
    if (this.#release) throw new RefusedError('the workspace is open already');
    const opened = await openHostWorkspace(this.#config, (event) => this.#emit(event));
    if (!opened.ok) throw new RefusedError(opened.reason);
    this.#release = opened.release;
    return {
      crashDetected: opened.crashDetected,
      recentCrashes: opened.recentCrashes,
      safeMode: opened.safeMode,
    };
  }

  /** Leaves safe mode; false when it was not on. */
  leaveSafeMode(): Promise<boolean> {
    return leaveSafeMode(this.#config, () => undefined);
  }

  /** Releases the workspace (a clean exit: no crash is recorded at the next open). */
  async close(): Promise<void> {
    const release = this.#release;
    this.#release = null;
    await release?.();
  }
}
