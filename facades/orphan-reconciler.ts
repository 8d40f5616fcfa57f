import type { Observable } from 'rxjs';
import { ReplaySubject } from 'rxjs/internal/ReplaySubject';
import {
  approveReview,
  cleanupOrphans,
  configure,
  dismissReview,
  recoveryEventOf,
  scanOrphans,
  type WorkspaceOptions,
} from '../controllers/compose.js';
import { REPLAYED_EVENTS, type CleanupCounts, type RecoveryEvent } from '../specs/events.js';
import { type HostBus, publishSafely } from './restoration-pipeline.js';
import type { Outcome } from '../specs/outcome.js';
import type { OrphanReport } from '../specs/reports.js';

/**
 * How the operator approves a lane: the git-ignored files its review item listed go only with
 * `discardIgnored`, the files git status does not show (skip-worktree, assume-unchanged) only
 * with `discardHiddenEdits`; a file the review did not list, never.
 */
export interface ApproveOptions {
  readonly discardIgnored?: boolean | undefined;
  readonly discardHiddenEdits?: boolean | undefined;
}

/** What `cleanup(report)` did (the wave-4 counts of every report). */
export type CleanupResult = CleanupCounts;

/**
 * Seed facade for the host app: `scan()` classifies what the crash left behind, `cleanup(report)`
 * applies exactly that report (terminations fenced by start time, flags recorded),
 * `approve`/`dismiss` settle review items. The same engine as `helios-recover orphans`. A scan
 * needs no restore first: with no checkpoint yet it reports only what the ledger proves ours.
 */
export class OrphanReconciler {
  readonly #config: ReturnType<typeof configure>;
  readonly #events = new ReplaySubject<RecoveryEvent>(REPLAYED_EVENTS);
  readonly #publish: ((event: RecoveryEvent) => void) | undefined;
  /** `recovery.orphans.cleaned` after every cleanup (the last REPLAYED_EVENTS replayed). */
  readonly events$: Observable<RecoveryEvent> = this.#events.asObservable();

  /** `publish`: the host's own event bus, handed every event `events$` carries. */
  constructor(options: WorkspaceOptions & HostBus = {}) {
    this.#config = configure(options);
    this.#publish = options.publish;
  }

  scan(): Promise<OrphanReport> {
    return scanOrphans(this.#config);
  }

  async cleanup(
    report: OrphanReport,
    onOutcome?: (outcome: Outcome) => void,
  ): Promise<CleanupResult> {
    const counts = await cleanupOrphans(this.#config, report, onOutcome);
    const event = recoveryEventOf('recovery.orphans.cleaned', counts);
    this.#events.next(event);
    publishSafely(this.#publish, event);
    return counts;
  }

  /**
   * Re-checks the item against a fresh observation first. Refused, it rejects with a
   * RefusedError: the one-line reason, and `remedy`, what to do instead, as data.
   */
  approve(id: string, options: ApproveOptions = {}): Promise<string> {
    return approveReview(this.#config, id, options);
  }

  /** Rejects with a RefusedError when no such item is pending. */
  dismiss(id: string): Promise<string> {
    return dismissReview(this.#config, id);
  }
}
