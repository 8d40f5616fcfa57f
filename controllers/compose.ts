import type { Subscription } from 'rxjs';
import type { Plan } from '../specs/plan.js';
import type { ActiveStage, RecoveryEvent } from '../specs/events.js';
import { attachAuditLog } from './audit-log.js';
import { createEventBus } from './event-bus.js';
import { recover } from './recover.js';
import { trackUnsavedState } from './unsaved-state.js';
import type { RunReport } from './run-report.js';
import {
  takeCheckpoint,
  type CheckpointOptions,
  type CheckpointResult,
} from './take-checkpoint.js';
import { previewPlan, type PlanPreview } from './preview-plan.js';
import { readStatus, type WorkspaceStatus } from './read-status.js';
import type { WorkspaceConfig } from './workspace-config.js';

export { configure, type WorkspaceOptions } from './workspace-config.js';

export interface RecoverRun {
  readonly plan?: Plan | undefined;
  readonly command?: string;
  /** Receives every event as it happens (the banner subscribes here). */
  readonly onEvents?: (
    events$: import('rxjs').Observable<RecoveryEvent>,
  ) => Subscription | Promise<Subscription>;
  /** A subscriber (the audit log, the banner) could not attach: reported, the run goes on. */
  readonly onSubscriberError?: (error: Error) => void;
  readonly pauseAt?: ActiveStage | undefined;
  readonly onPause?: (stage: ActiveStage) => Promise<void>;
  readonly signal?: AbortSignal;
}

/**
 * The one composition point: a one-shot recovery with its event bus, audit log and the caller's
 * subscribers wired together. Subscriptions end when the run ends.
 */
export async function runRecovery(
  config: WorkspaceConfig,
  run: RecoverRun = {},
): Promise<RunReport> {
  const bus = createEventBus();
  // Subscribers may attach while recovery already runs: the bus replays every event to them, and
  // loading them (pino, the banner) then overlaps with the multiplexer's work instead of delaying it.
  const unsaved = trackUnsavedState(bus);
  const attaching: Promise<Subscription>[] = [
    attachAuditLog(config.stateDir, bus.events$, unsaved.note),
  ];
  if (run.onEvents) attaching.push(Promise.resolve(run.onEvents(bus.events$)));
  try {
    return await recover(
      { config, bus, unsaved },
      { plan: run.plan, command: run.command, pauseAt: run.pauseAt, onPause: run.onPause },
      run.signal,
    );
  } finally {
    const attached = await Promise.allSettled(attaching);
    bus.complete();
    for (const result of attached) {
      if (result.status === 'fulfilled') result.value.unsubscribe();
      else run.onSubscriberError?.(result.reason as Error);
    }
  }
}

export function runCheckpoint(
  config: WorkspaceConfig,
  options: CheckpointOptions = {},
): Promise<CheckpointResult> {
  return takeCheckpoint(config, options);
}

export function runPlan(config: WorkspaceConfig, signal?: AbortSignal): Promise<PlanPreview> {
  return previewPlan(config, Date.now, signal);
}

export { runImport, type ImportRequest, type ImportResult } from './run-import.js';

export function runStatus(config: WorkspaceConfig): Promise<WorkspaceStatus> {
  return readStatus(config);
}
