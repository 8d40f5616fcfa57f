import type { Subscription } from 'rxjs';
import { randomUUID } from 'node:crypto';
import type { EventPayloads, RecoveryEvent, Topic } from '../specs/events.js';
import type { Plan } from '../specs/plan.js';
import type { RestorationResult, RunReport, WorkspaceStatus } from '../specs/reports.js';
import type { PlanPreview } from './preview-plan.js';
import type { DaemonExit, DaemonOptions } from './daemon/run-daemon.js';
import type { ImportResult } from './import/run-import.js';
import type { WorkspaceConfig } from './workspace-config.js';

/*
 * The one composition root: every entry point (the CLI, the demo, the host-app facades) builds
 * its runs here, and only here are the event bus, the audit log and the subscribers wired to the
 * engine. Each engine is loaded when its run starts, so the CLI prints its first line before
 * the engine (zod, rxjs) is loaded. Single-step commands are in compose-commands.ts (re-exported
 * at the end).
 */
import { configure as configureWorkspace, type WorkspaceOptions } from './workspace-config.js';

export { configureWorkspace as configure, type WorkspaceOptions };
export type { WorkspaceConfig, RunReport, WorkspaceStatus, PlanPreview, ImportResult };
export type { World } from './world.js';
export type { AutosaveResult } from './checkpoint/autosave.js';

export interface RecoverRun {
  readonly plan?: Plan | undefined;
  readonly command?: string;
  /** Receives every event as it happens (the banner subscribes here). */
  readonly onEvents?: (
    events$: import('rxjs').Observable<RecoveryEvent>,
  ) => Subscription | Promise<Subscription>;
  /** A subscriber (the audit log, the banner) could not attach: reported, the run goes on. */
  readonly onSubscriberError?: (error: Error) => void;
  readonly signal?: AbortSignal;
  /** Roll back to this generation (number or snapshot name) first; only these sessions. */
  readonly generation?: string | undefined;
  readonly sessions?: readonly string[] | undefined;
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
      import('./recover/unsaved-state.js'),
      import('./recover/recover.js'),
    ]);
  const bus = createEventBus();
  // Subscribers may attach while recovery already runs: the bus replays every event to them, and
  // loading them (the banner) then overlaps with the multiplexer's work instead of delaying it.
  const unsaved = trackUnsavedState(bus);
  const attaching: Promise<Subscription>[] = [
    attachAuditLog(config.stateDir, bus.events$, unsaved.note),
  ];
  if (run.onEvents) attaching.push(Promise.resolve(run.onEvents(bus.events$)));
  try {
    return await recover(
      { config, bus, unsaved },
      { plan: run.plan, command: run.command, generation: run.generation, sessions: run.sessions },
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
      import('./daemon/run-daemon.js'),
      import('../store/private-dir.js'),
    ]);
  await ensureTrustedDir(config.stateDir);
  const bus = createEventBus();
  const audit = await attachAuditLog(config.stateDir, bus.events$, run.onWarning);
  const subscriber = run.onEvents?.(bus.events$);
  // Both attached: a daemon that kept every event for late subscribers would grow for ever.
  bus.stopReplay();
  const daemon = await startDaemon(config, bus, run);
  const done = daemon.done.finally(() => {
    bus.complete();
    subscriber?.unsubscribe();
    audit.unsubscribe();
  });
  return { stop: () => void daemon.stop(), done };
}

/** Leaves safe mode and says so in the audit log; false when it was not on. */
export async function leaveSafeMode(
  config: WorkspaceConfig,
  onWarning: (reason: string) => void,
): Promise<boolean> {
  const { exitSafeMode } = await import('../store/recovery-files.js');
  if (!(await exitSafeMode(config.stateDir))) return false;
  const [{ createEventBus }, { attachAuditLog }] = await Promise.all([
    import('./event-bus.js'),
    import('./audit-log.js'),
  ]);
  const bus = createEventBus();
  const audit = await attachAuditLog(config.stateDir, bus.events$, onWarning);
  bus.emit('recovery.safemode.exited', { reason: 'left by the operator' });
  bus.complete();
  audit.unsubscribe();
  return true;
}

/** One restore for the host app (controllers/host-restore.ts). */
export async function runRestoration(
  options: WorkspaceOptions,
  checkpoint: unknown,
  onEvent: (event: RecoveryEvent) => void,
  signal?: AbortSignal,
): Promise<RestorationResult> {
  return (await import('./host-restore.js')).restoreForHost(options, checkpoint, onEvent, signal);
}

/** The workspace's persisted stage machine, for a host that drives its own runs. */
export async function openHostStages(
  config: WorkspaceConfig,
  onEvent: (event: RecoveryEvent) => void,
): Promise<import('./host-stages.js').HostStageMachine> {
  const { openStageMachine } = await import('./host-stages.js');
  return openStageMachine(
    config,
    (change) => onEvent(recoveryEventOf('recovery.stage.changed', change)),
    (reason) => onEvent(recoveryEventOf('recovery.state.unsaved', { reason })),
  );
}

/** An autosave for the host's scheduler: never over a restore running in this process. */
export async function runHostAutosave(
  config: WorkspaceConfig,
): Promise<import('./checkpoint/autosave.js').AutosaveResult> {
  const [{ autosaveCheckpoint }, { restoreRunning }, { hostLockOf }] = await Promise.all([
    import('./checkpoint/autosave.js'),
    import('./host-restore.js'),
    import('./workspace-lock.js'),
  ]);
  return autosaveCheckpoint(config, {
    // Only the host's own hold (its RecoverySupervisor) lets it save, not a recovery it runs.
    ownHolder: (pid) => pid === process.pid && hostLockOf(config.stateDir) !== undefined,
    busy: () => (restoreRunning(config.stateDir) ? 'a restore runs in this process' : null),
  });
}

/** One event envelope, for a facade that reports outside a run's bus (the orphan cleanup). */
export function recoveryEventOf<T extends Topic>(
  topic: T,
  payload: EventPayloads[T],
): RecoveryEvent {
  return {
    id: randomUUID(),
    type: 'event',
    ts: new Date().toISOString(),
    topic,
    payload,
  } as RecoveryEvent;
}

export * from './compose-commands.js';

export * from './compose-service.js';
export * from './compose-generations.js';
