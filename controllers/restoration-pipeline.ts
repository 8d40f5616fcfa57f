import type { Observable } from 'rxjs';
import { decodeCheckpoint } from '../specs/checkpoint-codec.js';
import type { CheckpointSpec } from '../specs/checkpoint-spec.js';
import type { RecoveryEvent } from '../specs/events.js';
import { configure, type WorkspaceOptions } from './compose.js';
import { createEventBus } from './event-bus.js';
import { reconcileOnce } from './reconcile-once.js';
import { mintIncarnation } from './recovery-machine.js';
import { summarizeSessions } from './run-report.js';
import type { RestorationResult } from '../specs/reports.js';

/**
 * Seed facade for the host app: restores the sessions of a checkpoint document (object or JSON
 * text) with one reconcile pass, emitting `recovery.session.restored|failed` on `events$`.
 * Entry checksums are verified: a corrupt entry fails alone with `checkpoint_corrupt`.
 */
export class RestorationPipeline {
  readonly #bus = createEventBus();
  readonly #options: WorkspaceOptions;
  readonly events$: Observable<RecoveryEvent> = this.#bus.events$;

  constructor(options: WorkspaceOptions = {}) {
    this.#options = options;
  }

  async restore(
    checkpoint: CheckpointSpec | string,
    signal?: AbortSignal,
  ): Promise<RestorationResult> {
    const decoded = decodeCheckpoint(
      typeof checkpoint === 'string' ? checkpoint : JSON.stringify(checkpoint),
    );
    if (!decoded.ok) throw new Error(`checkpoint cannot be used: ${decoded.reason}`);
    const { desired } = decoded;
    const config = configure({
      ...this.#options,
      workspace: this.#options.workspace ?? desired.workspaceId,
    });
    const result = await reconcileOnce(
      config,
      desired,
      { incarnation: mintIncarnation(Date.now()), dryRun: false, bus: this.#bus },
      signal,
    );
    const sessions = summarizeSessions(desired, result.plan, result.outcomes);
    return {
      restored: sessions.flatMap((s) =>
        s.status === 'reattached' || s.status === 'respawned' || s.status === 'in_sync'
          ? [{ sessionId: s.sessionId, sessionName: s.sessionName, status: s.status }]
          : [],
      ),
      failed: sessions.flatMap((s) =>
        s.status === 'failed'
          ? [
              {
                sessionId: s.sessionId,
                sessionName: s.sessionName,
                reason: s.reason,
                message: s.message,
                suggestion: s.suggestion,
              },
            ]
          : [],
      ),
      duration: result.durationMs,
    };
  }
}
