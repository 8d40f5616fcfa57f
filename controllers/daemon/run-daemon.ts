import { watch } from 'node:fs';
import { from, interval, merge, Subject, type Subscription } from 'rxjs';
import { exhaustMap } from 'rxjs/operators';
import { loadNewestCheckpoint } from '../../store/checkpoint-store.js';
import { type BackoffEntry, isBackedOff, recordOutcomes } from './backoff.js';
import { type ControlServer, startControlServer } from './control-server.js';
import { createControlHandler } from './control-requests.js';
import type { EventBus } from '../event-bus.js';
import { type ReconcileResult, reconcile } from '../reconcile.js';
import { recover } from '../recover/recover.js';
import { autosaveCheckpoint } from '../checkpoint/autosave.js';
import { trackSessionIntent } from './session-intent.js';
import type { DesiredState } from '../../specs/desired-state.js';
import type { RunReport } from '../../specs/reports.js';
import { readSafeMode } from '../../store/recovery-files.js';
import type { WorkspaceConfig } from '../workspace-config.js';
import { type HeldLock, inspectLock, liveHolder } from '../workspace-lock.js';

export interface DaemonOptions {
  readonly intervalMs?: number;
  readonly checkpointIntervalMs?: number;
  readonly checkpointAfterChanges?: number;
  /** The first wait of a failing resource (doubled per failure, up to 5 min); default 5 s. */
  readonly backoffBaseMs?: number;
  /** Called once recovery reached LIVE (or failed). */
  readonly onRecovered?: (report: RunReport) => void;
  /** How the lock names its holder (the CLI: its own command line); default `daemon (pid N)`. */
  readonly command?: string | undefined;
}

export interface DaemonExit {
  readonly code: number;
  readonly reason?: string;
  /** After a clean stop: null when the final checkpoint was written, else why it was not. */
  readonly finalCheckpointProblem?: string | null;
}

export interface Daemon {
  /** Resolves when the daemon has stopped (after `stop()`), or at once if it could not start. */
  readonly done: Promise<DaemonExit>;
  /** Clean shutdown: final checkpoint (within 5 s), control socket closed, lock released. */
  stop(): Promise<void>;
}

const MAX_CHECKPOINT_INTERVAL_MS = 300_000;
const ORPHAN_SCAN_EVERY = 6;
const FINAL_CHECKPOINT_BUDGET_MS = 4_000;

/**
 * The runtime daemon: recover first (crash detection, resume, safe mode), then keep the
 * workspace at its desired state: one reconcile pass at a time on a timer and on checkpoint
 * changes (exhaustMap), per-resource backoff, periodic checkpoints, a control socket whose
 * requests made during recovery are applied after LIVE, in order.
 */
export async function startDaemon(
  config: WorkspaceConfig,
  bus: EventBus,
  options: DaemonOptions = {},
): Promise<Daemon> {
  const holder = liveHolder(await inspectLock(config.stateDir, Date.now()));
  if (holder !== null) {
    const reason = `helios-recover is already running for workspace ${config.workspaceId}: held by ${holder.text}`;
    return { done: Promise.resolve({ code: 1, reason }), stop: async () => undefined };
  }
  let lock: HeldLock | null = null;
  let incarnation = '';
  let backoff = new Map<string, BackoffEntry>();
  let changes = 0;
  let checkpointEvery = options.checkpointIntervalMs ?? 60_000;
  let nextCheckpointAt = Date.now() + checkpointEvery;
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn);
    chain = run.catch(() => undefined);
    return run;
  };

  const intent = trackSessionIntent();
  const autosave = (desired: DesiredState) => {
    const intended = new Set(intent.intended(desired).sessions);
    return autosaveCheckpoint(config, {
      // A session the loop still restores stays while it is not running; a closed one goes.
      keep: [...intended].map((s) => s.sessionId),
      drop: desired.sessions.filter((s) => !intended.has(s)).map((s) => s.sessionName),
      ownHolder: (pid) => pid === process.pid,
    });
  };

  let passes = 0;
  const pass = async (full = false): Promise<ReconcileResult | null> => {
    const loaded = await loadNewestCheckpoint(config.stateDir);
    if (!loaded.ok) return null;
    // Sessions are checked every pass; the /proc orphan scan every ORPHAN_SCAN_EVERY passes
    // (and after a `session close`), which keeps the idle loop's CPU negligible.
    passes += 1;
    const scanOrphans = full || passes % ORPHAN_SCAN_EVERY === 0;
    const safeMode = (await readSafeMode(config.stateDir)) !== null;
    const now = Date.now();
    const result = await reconcile(config, loaded.desired, {
      incarnation,
      now: Date.now,
      scanOrphans,
      narrow: intent.narrow(loaded.desired),
      apply: {
        bus,
        reportBlocked: false,
        safeMode,
        // Panes a live session lacks are added by `recover` only: in the loop, a pane the user
        // just closed would come back within a pass (and its program start again).
        select: (action) => action.kind !== 'repair' && !isBackedOff(backoff, action, now),
      },
    });
    backoff = recordOutcomes(
      backoff,
      result.outcomes,
      result.plan.actions,
      Date.now(),
      options.backoffBaseMs,
    );
    changes += result.outcomes.filter((outcome) => outcome.status === 'succeeded').length;
    if (
      !safeMode &&
      (intent.closedInPass() ||
        Date.now() >= nextCheckpointAt ||
        changes >= (options.checkpointAfterChanges ?? 50))
    ) {
      const started = Date.now();
      await autosave(loaded.desired);
      if (Date.now() - started > 500)
        checkpointEvery = Math.min(checkpointEvery * 2, MAX_CHECKPOINT_INTERVAL_MS);
      nextCheckpointAt = Date.now() + checkpointEvery;
      changes = 0;
    }
    return result;
  };

  let markLive: () => void = () => undefined;
  let failLive: (error: Error) => void = () => undefined;
  const live = new Promise<void>((resolve, reject) => {
    markLive = resolve;
    failLive = reject;
  });
  live.catch(() => undefined); // requests waiting on it get the reason; nobody else must
  const handler = createControlHandler(config, {
    live,
    serial,
    pass: ({ scanOrphans }) => pass(scanOrphans),
  });
  // Bound only once the lock is ours (recover's onOpened), so a daemon that loses the race for
  // the lock never touches the winner's socket.
  let server: ControlServer | null = null;
  let binding: Promise<unknown> = Promise.resolve();
  const bindControlSocket = async (): Promise<string | null> => {
    if (stopping) return 'the daemon is stopping';
    const started = startControlServer(config.stateDir, handler);
    binding = started.catch(() => undefined);
    try {
      server = await started;
      return null;
    } catch (error) {
      return `cannot open the control socket: ${(error as Error).message}`;
    }
  };

  let finish: (result: DaemonExit) => void = () => undefined;
  const done = new Promise<DaemonExit>((resolve) => (finish = resolve));
  let loop: Subscription | null = null;
  const checkpointChanged = new Subject<void>();
  const watcher = watch(config.stateDir, (_event, name) => {
    if (name === 'checkpoint.json') checkpointChanged.next();
  });
  let stopping: Promise<void> | null = null;

  // Stopping during recovery aborts it (its lock is then released by recover itself).
  const recovering = new AbortController();
  const stop = (code = 0, reason?: string): Promise<void> =>
    (stopping ??= (async () => {
      recovering.abort();
      failLive(new Error(reason ?? 'the daemon is stopping'));
      loop?.unsubscribe();
      watcher.close();
      await chain;
      const finalCheckpointProblem = lock && code === 0 ? await finalCheckpoint() : undefined;
      await binding;
      await server?.close();
      await lock?.release();
      finish({ code, ...(reason ? { reason } : {}), finalCheckpointProblem });
    })());

  const finalCheckpoint = async (): Promise<string | null> => {
    const loaded = await loadNewestCheckpoint(config.stateDir);
    if (!loaded.ok) return loaded.reason;
    const budget = new Promise<{ status: 'failed'; reason: string }>((resolve) =>
      setTimeout(
        () =>
          resolve({
            status: 'failed',
            reason: `not written within ${FINAL_CHECKPOINT_BUDGET_MS} ms`,
          }),
        FINAL_CHECKPOINT_BUDGET_MS,
      ).unref(),
    );
    const written = await Promise.race([autosave(loaded.desired), budget]);
    return written.status === 'failed' || written.status === 'skipped' ? written.reason : null;
  };

  void (async () => {
    const report = await recover(
      { config, bus },
      {
        command: options.command ?? `daemon (pid ${process.pid})`,
        keepLock: (held) => {
          lock = held;
          if (stopping) void held.release(); // stopped meanwhile: nothing may keep it
        },
        onOpened: bindControlSocket,
      },
      recovering.signal,
    );
    options.onRecovered?.(report);
    if (stopping) return stopping; // stopped while recovering: never start the loop
    if (report.stage !== 'LIVE')
      return stop(1, report.failureReason ?? `recovery ended at ${report.stage}`);
    if (report.stateUnsaved !== null)
      return stop(1, `cannot keep the workspace without its state dir: ${report.stateUnsaved}`);
    incarnation = report.incarnation;
    intent.recovered(report);
    markLive();
    loop = merge(interval(options.intervalMs ?? 5_000), checkpointChanged)
      .pipe(exhaustMap(() => from(serial(() => pass()).catch(() => null))))
      .subscribe();
    return undefined;
  })().catch((error: Error) => stop(1, error.message));

  return { done, stop: () => stop(0) };
}
