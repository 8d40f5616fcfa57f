import type { Subscription } from 'rxjs';
import { randomUUID } from 'node:crypto';
import type { EventPayloads, RecoveryEvent, RecoveryStage, Topic } from '../specs/events.js';
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
  // loading them (pino, the banner) then overlaps with the multiplexer's work instead of delaying it.
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

/**
 * One restore for the host app: a desired-state document or heliosApp's own v1 checkpoint
 * (object or JSON text; controllers/restore-document.ts), persisted as the next generation, then
 * one reconcile pass. Every event goes to `onEvent`: the stage changes (INVENTORYING, RESTORING,
 * LIVE), each session's result and `recovery.completed`. A corrupt entry fails alone; a document
 * that cannot be used at all throws its one-line reason (a RefusedError when a remedy exists).
 */
export async function runRestoration(
  options: WorkspaceOptions,
  checkpoint: unknown,
  onEvent: (event: RecoveryEvent) => void,
  signal?: AbortSignal,
): Promise<RestorationResult> {
  const [
    { createEventBus },
    { reconcile },
    { mintIncarnation },
    { checkpointValue, desiredStateOf, workspaceOf },
  ] = await Promise.all([
    import('./event-bus.js'),
    import('./reconcile.js'),
    import('./recover/stage-machine.js'),
    import('./restore-document.js'),
  ]);
  const { restorationResultOf } = await import('./session-results.js');
  const started = Date.now();
  // Parsed once: JSON text becomes the value both the workspace and the desired state read.
  const value = checkpointValue(checkpoint);
  const config = configureWorkspace({
    ...options,
    workspace: options.workspace ?? workspaceOf(value),
  });
  const bus = createEventBus();
  const forwarding = bus.events$.subscribe(onEvent);
  const stage = (from: RecoveryStage | null, to: RecoveryStage, reason?: string) =>
    bus.emit('recovery.stage.changed', { from, to, attempt: 1, ...(reason ? { reason } : {}) });
  try {
    stage(null, 'INVENTORYING');
    let taken;
    try {
      taken = await desiredStateOf(config, value);
    } catch (error) {
      stage('INVENTORYING', 'INVENTORYING_FAILED', (error as Error).message);
      throw error;
    }
    const { desired, rejected } = taken;
    stage('INVENTORYING', 'RESTORING');
    let result;
    try {
      // Safe mode (three crashes within 60 s) holds for the host's restores too: shells only.
      const { readSafeMode } = await import('../store/recovery-files.js');
      const safeMode = (await readSafeMode(config.stateDir)) !== null;
      result = await reconcile(
        config,
        desired,
        { incarnation: mintIncarnation(Date.now()), now: Date.now, apply: { bus, safeMode } },
        signal,
      );
    } catch (error) {
      stage('RESTORING', 'RESTORING_FAILED', (error as Error).message);
      throw error;
    }
    const backend = config.backend === 'auto' ? undefined : config.backend;
    const restored = restorationResultOf(desired, result, backend);
    // A host session the import could not take fails alone, beside the others.
    const restoration = {
      ...restored,
      failed: [
        ...rejected.map((session) => ({
          ...session,
          multiplexer: null,
          reason: 'checkpoint_corrupt',
          message: session.message,
          remedy: { code: 'recreate_entry' as const, label: session.sessionId },
        })),
        ...restored.failed,
      ],
    };
    for (const session of restoration.failed.slice(0, rejected.length))
      bus.emit('recovery.session.failed', {
        sessionId: session.sessionId,
        sessionName: session.sessionName,
        reason: session.reason,
        message: session.message,
        remedy: session.remedy,
      });
    stage('RESTORING', 'LIVE');
    bus.emit('recovery.completed', {
      stage: 'LIVE',
      restored: restoration.restored.length,
      failed: restoration.failed.length,
      withIssues: restoration.failed.length > 0,
      durationMs: Date.now() - started,
    });
    return restoration;
  } finally {
    bus.complete();
    forwarding.unsubscribe();
  }
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
export * from './generations.js';
export * from './generation-writes.js';