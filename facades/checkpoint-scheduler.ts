import type { Observable } from 'rxjs';
import { ReplaySubject } from 'rxjs/internal/ReplaySubject';
import {
  type AutosaveResult,
  configure,
  recoveryEventOf,
  runHostAutosave,
  type WorkspaceOptions,
} from '../controllers/compose.js';
import type { RecoveryEvent } from '../specs/events.js';
import { type HostBus, publishSafely } from './restoration-pipeline.js';

export type { AutosaveResult };

export interface SchedulerOptions extends WorkspaceOptions, HostBus {
  /** Save every this many ms (default 15 min, as tmux-continuum; 0: only after changes). */
  readonly intervalMs?: number | undefined;
  /** After `changed()`, save once no change came for this long (default 2 s). */
  readonly debounceMs?: number | undefined;
}

/**
 * The host's checkpoint scheduler: saves the live workspace on an interval and after changes
 * (`changed()`, debounced, so a burst makes one save), one save at a time, under the rules of
 * `checkpoint --autosave`: never while a restore runs in this process or another process holds
 * the workspace, never an empty observation over a checkpoint with sessions, nothing written
 * when nothing changed; a session closed while its server runs is dropped, one lost with its
 * server kept. Every save is announced as `recovery.checkpoint.saved`.
 */
export class CheckpointScheduler {
  readonly #config: ReturnType<typeof configure>;
  readonly #events = new ReplaySubject<RecoveryEvent>(64);
  readonly #publish: ((event: RecoveryEvent) => void) | undefined;
  readonly #intervalMs: number;
  readonly #debounceMs: number;
  #timer: ReturnType<typeof setInterval> | null = null;
  #debounce: ReturnType<typeof setTimeout> | null = null;
  #saving: Promise<AutosaveResult> | null = null;
  #again = false;
  #stopped = false;
  /** `recovery.checkpoint.saved` for each save (the last 64 replayed to a late subscriber). */
  readonly events$: Observable<RecoveryEvent> = this.#events.asObservable();

  constructor(options: SchedulerOptions = {}) {
    const { publish, intervalMs, debounceMs, ...workspace } = options;
    this.#config = configure(workspace);
    this.#publish = publish;
    this.#intervalMs = intervalMs ?? 15 * 60_000;
    this.#debounceMs = debounceMs ?? 2_000;
  }

  /** Starts the interval (idempotent). */
  start(): void {
    this.#stopped = false;
    if (this.#timer !== null || this.#intervalMs <= 0) return;
    this.#timer = setInterval(() => void this.saveNow(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Something changed (a session, window or pane): one save once changes pause. */
  changed(): void {
    if (this.#stopped) return;
    if (this.#debounce !== null) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      this.#debounce = null;
      void this.saveNow();
    }, this.#debounceMs);
    this.#debounce.unref();
  }

  /** Saves now; while a save runs, one more follows it (with what changed meanwhile). */
  saveNow(): Promise<AutosaveResult> {
    if (this.#saving) {
      this.#again = true;
      return this.#saving;
    }
    const run = async (): Promise<AutosaveResult> => {
      let result: AutosaveResult;
      do {
        this.#again = false;
        result = await runHostAutosave(this.#config).catch((error: unknown): AutosaveResult => ({
          status: 'failed',
          reason: error instanceof Error ? error.message : String(error),
        }));
        this.#announce(result);
      } while (this.#again && !this.#stopped);
      return result;
    };
    this.#saving = run().finally(() => (this.#saving = null));
    return this.#saving;
  }

  /** Stops the timers and waits for a save that runs; no change starts a save after it. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    if (this.#debounce !== null) clearTimeout(this.#debounce);
    this.#timer = null;
    this.#debounce = null;
    this.#again = false;
    await this.#saving;
  }

  #announce(result: AutosaveResult): void {
    const event = recoveryEventOf('recovery.checkpoint.saved', {
      status: result.status,
      generation: 'generation' in result ? result.generation : null,
      sessions: result.status === 'written' ? result.sessions.length : null,
      ...('reason' in result ? { reason: result.reason } : {}),
    });
    this.#events.next(event);
    publishSafely(this.#publish, event);
  }
}
