import { ReplaySubject, type Observable } from 'rxjs';
import { runRestoration, type WorkspaceOptions } from '../controllers/compose.js';
import type { CheckpointSpec } from '../specs/checkpoint-spec.js';
import type { RecoveryEvent } from '../specs/events.js';
import type { RestorationResult } from '../specs/reports.js';

/**
 * Seed facade for the host app: restores the sessions of a checkpoint document (object or JSON
 * text) with one reconcile pass, emitting `recovery.session.restored|failed` on `events$`.
 * Entry checksums are verified: a corrupt entry fails alone with `checkpoint_corrupt`.
 */
export class RestorationPipeline {
  readonly #events = new ReplaySubject<RecoveryEvent>();
  readonly #options: WorkspaceOptions;
  /** Every event of every restore; a late subscriber sees them all. */
  readonly events$: Observable<RecoveryEvent> = this.#events.asObservable();

  constructor(options: WorkspaceOptions = {}) {
    this.#options = options;
  }

  restore(checkpoint: CheckpointSpec | string, signal?: AbortSignal): Promise<RestorationResult> {
    const text = typeof checkpoint === 'string' ? checkpoint : JSON.stringify(checkpoint);
    return runRestoration(this.#options, text, (event) => this.#events.next(event), signal);
  }
}
