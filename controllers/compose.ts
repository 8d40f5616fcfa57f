import type { Subscription } from 'rxjs';
import type { ControlRequest, ControlResponse } from '../specs/control-protocol.js';
import type { RecoveryEvent } from '../specs/events.js';
import type { StageHooks } from './run-stage.js';
import type { Plan } from '../specs/plan.js';
import type { SafeModeRecord } from '../specs/state-files.js';
import type { CheckpointOptions, CheckpointResult } from './take-checkpoint.js';
import type { DaemonExit, DaemonOptions } from './run-daemon.js';
import type { ImportRequest, ImportResult } from './run-import.js';
import type { PlanPreview } from './preview-plan.js';
import type { CleanupCounts } from '../specs/events.js';
import type { Outcome } from '../specs/outcome.js';
import type {
  OrphanReport,
  RestorationResult,
  RunReport,
  WorkspaceStatus,
} from '../specs/reports.js';
import type { WorkspaceConfig } from './workspace-config.js';

/*
 * The one composition root: every entry point (the CLI, the demo, the host-app facades) builds
 * its runs here, and only here are the event bus, the audit log and the subscribers wired to the
 * engine. Each engine is loaded when its run starts, so the CLI prints its first line before
 * the engine (zod, rxjs) is loaded.
 */
import { configure as configureWorkspace, type WorkspaceOptions } from './workspace-config.js';

export { configureWorkspace as configure, type WorkspaceOptions };
export type { WorkspaceConfig, RunReport, WorkspaceStatus, PlanPreview, ImportResult, StageHooks };

export interface RecoverRun {
  readonly plan?: Plan | undefined;
  readonly command?: string;
  /** Receives every event as it happens (the banner subscribes here). */
  readonly onEvents?: (
    events$: import('rxjs').Observable<RecoveryEvent>,
  ) => Subscription | Promise<Subscription>;
  /** A subscriber (the audit log, the banner) could not attach: reported, the run goes on. */
  readonly onSubscriberError?: (error: Error) => void;
  readonly hooks?: StageHooks | undefined;
  readonly signal?: AbortSignal;
}

/** A one-shot recovery with its event bus, audit log and the caller's subscribers. */
export async function runRecovery(
  config: WorkspaceConfig,
  run: RecoverRun = {},
): Promise<RunReport> {
  const [{ createEventBus }, { attachAuditLog }, { trackUnsavedState }, { recover }] =
    await Promise.all([
      import('./event-bus.js'),
      import('./audit-log.js'),
      import('./unsaved-state.js'),
      import('./recover.js'),
    ]);
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
      { plan: run.plan, command: run.command, hooks: run.hooks },
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

export interface DaemonRun extends DaemonOptions {
  /** Receives every event (the banner subscribes here). */
  readonly onEvents?: (events$: import('rxjs').Observable<RecoveryEvent>) => Subscription;
  /** The audit log could not write a line: said, the daemon goes on. */
  readonly onWarning: (reason: string) => void;
}

/** A running daemon: `stop` asks it to stop; `done` settles when it has. */
export interface DaemonHandle {
  stop(): void;
  readonly done: Promise<DaemonExit>;
}

/** The continuous daemon, with its event bus, audit log and the caller's subscriber. */
export async function runDaemon(config: WorkspaceConfig, run: DaemonRun): Promise<DaemonHandle> {
  const [{ createEventBus }, { attachAuditLog }, { startDaemon }, { ensureTrustedDir }] =
    await Promise.all([
      import('./event-bus.js'),
      import('./audit-log.js'),
      import('./run-daemon.js'),
      import('../store/private-dir.js'),
    ]);
  await ensureTrustedDir(config.stateDir);
  const bus = createEventBus();
  const audit = await attachAuditLog(config.stateDir, bus.events$, run.onWarning);
  const subscriber = run.onEvents?.(bus.events$);
  const daemon = await startDaemon(config, bus, run);
  const done = daemon.done.finally(() => {
    bus.complete();
    subscriber?.unsubscribe();
    audit.unsubscribe();
  });
  return { stop: () => void daemon.stop(), done };
}

export async function runCheckpoint(
  config: WorkspaceConfig,
  options: CheckpointOptions = {},
): Promise<CheckpointResult> {
  return (await import('./take-checkpoint.js')).takeCheckpoint(config, options);
}

export async function runPlan(config: WorkspaceConfig, signal?: AbortSignal): Promise<PlanPreview> {
  return (await import('./preview-plan.js')).previewPlan(config, Date.now, signal);
}

/** Saves a plan for `recover --plan` (atomic; the file is the plan's JSON). */
export async function savePlan(file: string, plan: Plan): Promise<void> {
  const { writeFileAtomic } = await import('../store/atomic-file.js');
  await writeFileAtomic(file, `${JSON.stringify(plan, null, 2)}\n`);
}

/** Reads a saved plan: the plan, or why it is not one. */
export async function readPlan(
  text: string,
): Promise<{ ok: true; plan: Plan } | { ok: false; reason: string }> {
  return (await import('../specs/plan-file.js')).decodePlanFile(text);
}

export async function runStatus(config: WorkspaceConfig): Promise<WorkspaceStatus> {
  return (await import('./read-status.js')).readStatus(config);
}

export async function runImport(
  config: WorkspaceConfig,
  request: ImportRequest,
): Promise<ImportResult> {
  return (await import('./run-import.js')).runImport(config, request);
}

/** Safe mode's record, or null when it is off. */
export async function readSafeMode(config: WorkspaceConfig): Promise<SafeModeRecord | null> {
  return (await import('../store/safe-mode-file.js')).readSafeMode(config.stateDir);
}

/** Leaves safe mode and says so in the audit log; false when it was not on. */
export async function leaveSafeMode(
  config: WorkspaceConfig,
  onWarning: (reason: string) => void,
): Promise<boolean> {
  const { exitSafeMode } = await import('../store/safe-mode-file.js');
  if (!(await exitSafeMode(config.stateDir))) return false;
  const [{ createEventBus }, { attachAuditLog }] = await Promise.all([
    import('./event-bus.js'),
    import('./audit-log.js'),
  ]);
  const bus = createEventBus();
  const audit = await attachAuditLog(config.stateDir, bus.events$, onWarning);
  bus.emit('recovery.safemode.exited', { reason: 'operator: helios-recover safe-mode exit' });
  bus.complete();
  audit.unsubscribe();
  return true;
}

/**
 * Sends one control request to the workspace's daemon. The request is checked against the
 * protocol first: a string is why it is refused, before anything is sent.
 */
export async function requestDaemon(
  config: WorkspaceConfig,
  request: Record<string, unknown>,
  timeoutMs: number,
): Promise<ControlResponse | string> {
  const [{ checkControlRequest }, { controlSocketPath }, { sendControlRequest }] =
    await Promise.all([
      import('../specs/control-protocol.js'),
      import('./control-server.js'),
      import('./control-client.js'),
    ]);
  const checked: ControlRequest | string = checkControlRequest(request);
  if (typeof checked === 'string') return checked;
  return sendControlRequest(controlSocketPath(config.stateDir), checked, timeoutMs);
}

/** What a crash left behind: safe to clean, or needing review (`orphans`). */
export async function scanOrphans(config: WorkspaceConfig): Promise<OrphanReport> {
  return (await import('./orphan-operations.js')).scanOrphans(config);
}

/** Applies exactly a scan's report (`orphans clean`). */
export async function cleanupOrphans(
  config: WorkspaceConfig,
  report: OrphanReport,
  onOutcome?: (outcome: Outcome) => void,
): Promise<CleanupCounts> {
  return (await import('./orphan-operations.js')).cleanupOrphans(config, report, onOutcome);
}

/** Settles one review item after re-checking it (`orphans approve ID`). */
export async function approveReview(
  config: WorkspaceConfig,
  id: string,
  options: { readonly discardIgnored?: boolean | undefined } = {},
): Promise<string> {
  return (await import('./orphan-operations.js')).approveReview(config, id, options);
}

/** Leaves one review item alone for good (`orphans dismiss ID`). */
export async function dismissReview(config: WorkspaceConfig, id: string): Promise<string> {
  return (await import('./orphan-operations.js')).dismissReview(config, id);
}

/**
 * One restore of a checkpoint document (object or JSON text) for the host app: one reconcile
 * pass, every event handed to `onEvent`. Entry checksums are verified: a corrupt entry fails
 * alone; a document that cannot be used at all throws its one-line reason.
 */
export async function runRestoration(
  options: WorkspaceOptions,
  checkpoint: string,
  onEvent: (event: RecoveryEvent) => void,
  signal?: AbortSignal,
): Promise<RestorationResult> {
  const [{ decodeCheckpoint }, { createEventBus }, { reconcileOnce }, { mintIncarnation }] =
    await Promise.all([
      import('../specs/checkpoint-codec.js'),
      import('./event-bus.js'),
      import('./reconcile-once.js'),
      import('./recovery-machine.js'),
    ]);
  const { restorationResultOf } = await import('./run-report.js');
  const decoded = decodeCheckpoint(checkpoint);
  if (!decoded.ok) throw new Error(`checkpoint cannot be used: ${decoded.reason}`);
  const { desired } = decoded;
  const config = configureWorkspace({
    ...options,
    workspace: options.workspace ?? desired.workspaceId,
  });
  const bus = createEventBus();
  const forwarding = bus.events$.subscribe(onEvent);
  try {
    const result = await reconcileOnce(
      config,
      desired,
      { incarnation: mintIncarnation(Date.now()), dryRun: false, bus },
      signal,
    );
    return restorationResultOf(desired, result);
  } finally {
    bus.complete();
    forwarding.unsubscribe();
  }
}

/** Reads a file named by the user: bounded, never a FIFO; a refusal is a one-line reason. */
export async function readUserFile(file: string): Promise<{ text: string } | { reason: string }> {
  const { readBoundedFile, RefusedFileError } = await import('../store/bounded-read.js');
  try {
    return { text: await readBoundedFile(file) };
  } catch (error) {
    if (error instanceof RefusedFileError) return { reason: error.message };
    return { reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

export { shellQuote } from '../specs/shell-quoting.js';
