import type { Observable } from 'rxjs';
import { ReplaySubject } from 'rxjs/internal/ReplaySubject';
import { runRestoration, type WorkspaceOptions } from '../controllers/compose.js';
import type { CheckpointSpec } from '../specs/checkpoint-spec.js';
import type { HeliosV1CheckpointSpec as HeliosV1Checkpoint } from '../specs/import-helios-v1.js';
import { REPLAYED_EVENTS, type RecoveryEvent } from '../specs/events.js';
import type { RestorationResult } from '../specs/reports.js';

/**
 * The host app's restore: a desired-state document or heliosApp's own v1 checkpoint (object or
 * JSON text), persisted as the next generation and restored with one reconcile pass, emitting
 * the stage changes, each session's result and the completion on `events$`. Entry checksums are
 * verified (a corrupt entry fails alone with `checkpoint_corrupt`); a tampered heliosApp
 * checkpoint is refused with a RefusedError, as `import helios-v1` refuses it.
 */
/** The host's own event bus: every event the facade's `events$` carries is handed to it too. */
export interface HostBus {
  readonly publish?: ((event: RecoveryEvent) => void) | undefined;
}

export class RestorationPipeline {
  readonly #events = new ReplaySubject<RecoveryEvent>(REPLAYED_EVENTS);
  readonly #options: WorkspaceOptions;
  readonly #publish: ((event: RecoveryEvent) => void) | undefined;
  /** Every event of every restore; the last REPLAYED_EVENTS are replayed. */
  readonly events$: Observable<RecoveryEvent> = this.#events.asObservable();

  constructor(options: WorkspaceOptions & HostBus = {}) {
    const { publish, ...workspace } = options;
    this.#options = workspace;
    this.#publish = publish;
  }

  restore(
    checkpoint: CheckpointSpec | HeliosV1Checkpoint | string,
    signal?: AbortSignal,
  ): Promise<RestorationResult> {
    const forward = (event: RecoveryEvent) => {
      this.#events.next(event);
      publishSafely(this.#publish, event);
    };
    return runRestoration(this.#options, checkpoint, forward, signal);
  }
}

/** Hands `event` to the host's bus: a bus that throws never breaks (or crashes) the restore. */
export function publishSafely(
  publish: ((event: RecoveryEvent) => void) | undefined,
  event: RecoveryEvent,
): void {
  try {
    publish?.(event);
  } catch {
    // the host's bus is the host's: its failure is not the restore's
  }
}
