import type { RecoveryEvent } from '../specs/events.js';
import { RefusedError } from '../specs/remedies.js';
import type { RestorationResult } from '../specs/reports.js';
import { readSafeMode } from '../store/recovery-files.js';
import { createEventBus } from './event-bus.js';
import { recordServersSeen } from './checkpoint/servers-seen.js';
import { openStageMachine } from './host-stages.js';
import { reconcile } from './reconcile.js';
import { openWorkspace } from './recover/open-workspace.js';
import { trackUnsavedState } from './recover/unsaved-state.js';
import { checkpointValue, desiredStateOf, workspaceOf } from './restore-document.js';
import { restorationResultOf } from './session-results.js';
import { configure, type WorkspaceOptions } from './workspace-config.js';
import { hostLockOf } from './workspace-lock.js';

/** Restores running in this process, by state dir: the host's scheduler does not save over them. */
const running = new Map<string, number>();
/** The last restore queued per state dir: restores of one workspace run one after another. */
const queued = new Map<string, Promise<unknown>>();

/** Whether a restore of `stateDir`'s workspace runs in this process now. */
export const restoreRunning = (stateDir: string): boolean => (running.get(stateDir) ?? 0) > 0;

/**
 * One restore for the host app: a desired-state document or heliosApp's own v1 checkpoint
 * (object or JSON text; restore-document.ts), persisted as the next generation, then one
 * reconcile pass. It holds the workspace: under the lock of the host's RecoverySupervisor when
 * this process has one open, else under its own (refused while anyone else holds it; a holder
 * that died is recorded as a crash, as `recover` records it). Its stages are the persisted stage
 * machine's (INVENTORYING -> RESTORING -> LIVE, or `<STAGE>_FAILED`): a restore whose process
 * died mid-way is resumed with its incarnation, so what it restored is in sync, not redone.
 * Every event goes to `onEvent`. A corrupt entry fails alone; a document that cannot be used
 * at all throws its one-line reason (a RefusedError when a remedy exists).
 */
export async function restoreForHost(
  options: WorkspaceOptions,
  checkpoint: unknown,
  onEvent: (event: RecoveryEvent) => void,
  signal?: AbortSignal,
): Promise<RestorationResult> {
  const started = Date.now();
  // Parsed once: JSON text becomes the value both the workspace and the desired state read.
  const value = checkpointValue(checkpoint);
  const config = configure({ ...options, workspace: options.workspace ?? workspaceOf(value) });
  const bus = createEventBus();
  const forwarding = bus.events$.subscribe(onEvent);
  const unsaved = trackUnsavedState(bus);
  running.set(config.stateDir, (running.get(config.stateDir) ?? 0) + 1);
  const before = queued.get(config.stateDir) ?? Promise.resolve();
  let done: () => void = () => undefined;
  const mine = before.then(() => new Promise<void>((resolve) => (done = resolve)));
  queued.set(config.stateDir, mine);
  let release = async (): Promise<void> => undefined;
  try {
    await before.catch(() => undefined);
    if (hostLockOf(config.stateDir) === undefined) {
      const command = `host restore (pid ${process.pid})`;
      const opened = await openWorkspace(config, bus, Date.now, unsaved, command);
      if (opened.refused !== undefined) throw new RefusedError(opened.refused);
      release = async () => void (await opened.lock?.release());
    }
    const machine = await openStageMachine(
      config,
      (change) => bus.emit('recovery.stage.changed', change),
      unsaved.note,
    );
    const interrupted = machine.interruptedAt;
    await machine.enter(
      'INVENTORYING',
      interrupted ? { reason: `resuming the run interrupted at ${interrupted}` } : {},
    );
    let taken;
    try {
      taken = await desiredStateOf(config, value);
    } catch (error) {
      await machine.enter('INVENTORYING_FAILED', { reason: (error as Error).message });
      throw error;
    }
    const { desired, rejected, persisted } = taken;
    await machine.enter('RESTORING');
    let result;
    try {
      // Safe mode (three crashes within 60 s) holds for the host's restores too: shells only.
      const safeMode = (await readSafeMode(config.stateDir)) !== null;
      result = await reconcile(
        config,
        desired,
        { incarnation: machine.incarnation, now: Date.now, apply: { bus, safeMode } },
        signal,
      );
    } catch (error) {
      await machine.enter('RESTORING_FAILED', { reason: (error as Error).message });
      throw error;
    }
    const backend = config.backend === 'auto' ? undefined : config.backend;
    const restored = restorationResultOf(desired, result, backend);
    // A host session the import could not take fails alone, beside the others.
    const failedImports = rejected.map((session) => ({
      ...session,
      multiplexer: null,
      reason: 'checkpoint_corrupt',
      remedy: { code: 'recreate_entry' as const, label: session.sessionId },
    }));
    for (const session of failedImports)
      bus.emit('recovery.session.failed', {
        sessionId: session.sessionId,
        sessionName: session.sessionName,
        reason: session.reason,
        message: session.message,
        remedy: session.remedy,
      });
    const restoration = { ...restored, failed: [...failedImports, ...restored.failed] };
    await machine.enter('LIVE');
    await recordServersSeen(config, persisted ? desired : undefined).catch(() => undefined);
    bus.emit('recovery.completed', {
      stage: 'LIVE',
      restored: restoration.restored.length,
      failed: restoration.failed.length,
      withIssues: restoration.failed.length > 0,
      durationMs: Date.now() - started,
    });
    return restoration;
  } finally {
    done();
    if (queued.get(config.stateDir) === mine) queued.delete(config.stateDir);
    running.set(config.stateDir, (running.get(config.stateDir) ?? 1) - 1);
    await release();
    bus.complete();
    forwarding.unsubscribe();
  }
}
