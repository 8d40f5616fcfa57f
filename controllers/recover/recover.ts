import { randomUUID } from 'node:crypto';
import type { Plan } from '../../specs/plan.js';
import type { RunReport } from '../../specs/reports.js';
import { readRecoveryState, writeRecoveryState } from '../../store/recovery-files.js';
import type { EventBus } from '../event-bus.js';
import { rollBack } from '../generation-writes.js';
import { openWorkspace } from './open-workspace.js';
import { recordServersSeen } from '../checkpoint/servers-seen.js';
import { emptyReport, finish, runReportOf } from './run-report.js';
import { inventoryStage, reconcileStage, type RecoveryRun, restoreStage } from './stages.js';
import { decideIncarnation, mintIncarnation, STAGE_TIMEOUT_MS } from './stage-machine.js';
import { runStageSequence, type StageWork } from './run-stage.js';
import { trackUnsavedState, type UnsavedState } from './unsaved-state.js';
import type { WorkspaceConfig } from '../workspace-config.js';
import type { HeldLock } from '../workspace-lock.js';

export interface RecoverDeps {
  readonly config: WorkspaceConfig;
  readonly bus: EventBus;
  readonly now?: () => number;
  readonly stageTimeoutMs?: number;
  /** What this run could not write to its state dir (shared with the audit log). */
  readonly unsaved?: UnsavedState;
}

export interface RecoverOptions {
  /** A saved plan to apply exactly; refused as stale if the observed state changed. */
  readonly plan?: Plan | undefined;
  /** Recorded in the lock file: who holds the workspace. */
  readonly command?: string;
  /** The daemon keeps the workspace lock after recovery; it gets it here instead of a release. */
  readonly keepLock?: (lock: HeldLock) => void;
  /**
   * Called once the workspace is opened (its lock held), before any stage runs: the daemon binds
   * its control socket here. A reason returned refuses the run (at DETECTING) with it.
   */
  readonly onOpened?: () => Promise<string | null>;
  /**
   * Roll back first (`recover --generation`): this generation (a number or a snapshot name) is
   * written as the next one, under the lock, and recovered. Cleanup never terminates a live
   * session it lacks (as without `--prune`): such a session is kept and flagged.
   */
  readonly generation?: string | undefined;
  /** Restore only these sessions (by name); the others are left as they are. */
  readonly sessions?: readonly string[] | undefined;
}

/**
 * The one-shot recovery: DETECTING -> INVENTORYING -> RESTORING -> RECONCILING -> LIVE, with the
 * stage and outcomes persisted after every step. An interrupted recovery resumes at its persisted
 * stage with its incarnation, so what it already restored is observed in sync, not redone.
 * Always returns a report; `<STAGE>_FAILED` says where and why it stopped.
 */
export async function recover(
  deps: RecoverDeps,
  options: RecoverOptions = {},
  signal?: AbortSignal,
): Promise<RunReport> {
  const { config, bus } = deps;
  const now = deps.now ?? Date.now;
  const started = now();
  bus.emit('recovery.stage.changed', { from: null, to: 'DETECTING', attempt: 1 });
  const refuse = (reason: string) => {
    bus.emit('recovery.stage.changed', {
      from: 'DETECTING',
      to: 'DETECTING_FAILED',
      attempt: 1,
      reason,
    });
    return finish(bus, emptyReport(config, 'DETECTING_FAILED', reason, now() - started));
  };
  const unsaved = deps.unsaved ?? trackUnsavedState(bus);
  const opened = await openWorkspace(
    config,
    bus,
    now,
    unsaved,
    options.command ?? `recovery (pid ${process.pid})`,
  );
  if (opened.refused !== undefined) return refuse(opened.refused);
  const { lock: held, crashDetected } = opened;
  const refusal = (await options.onOpened?.()) ?? null;
  if (refusal !== null) {
    await held?.release();
    return refuse(refusal);
  }
  const notes: string[] = [];
  if (options.generation !== undefined) {
    const rolled = await rollBack(config, options.generation, options.sessions, now).catch(
      (error: Error) => ({ ok: false as const, reason: error.message }),
    );
    if (!rolled.ok) {
      await held?.release();
      return refuse(`cannot roll back to ${options.generation}: ${rolled.reason}`);
    }
    notes.push(
      options.sessions && options.sessions.length > 0
        ? `${options.sessions.join(', ')} taken from generation ${rolled.from} into generation ${rolled.generation}`
        : `rolled back: generation ${rolled.from} written again as generation ${rolled.generation}; live sessions it lacks are kept`,
    );
  }
  let kept = false;
  try {
    const report = await runStages(
      {
        ...deps,
        // A rollback never terminates what it lacks: stale sessions are flagged, not pruned.
        config: options.generation !== undefined ? { ...config, prune: false } : config,
        unsaved,
      },
      { ...options, notes },
      crashDetected,
      started,
      signal,
    );
    // The next checkpoint tells a session closed after this recovery from one lost by it.
    if (report.stage === 'LIVE') await recordServersSeen(config).catch(() => undefined);
    if (options.keepLock && held !== null && report.stage === 'LIVE') {
      options.keepLock(held);
      kept = true;
    }
    return report;
  } finally {
    if (!kept) await held?.release();
  }
}

async function runStages(
  deps: RecoverDeps & { readonly unsaved: UnsavedState },
  options: RecoverOptions & { readonly notes: readonly string[] },
  crashDetected: boolean,
  started: number,
  signal?: AbortSignal,
): Promise<RunReport> {
  const { config, bus } = deps;
  const now = deps.now ?? Date.now;
  const persisted = await readRecoveryState(config.stateDir);
  const decided = options.plan
    ? { incarnation: options.plan.incarnation, resumeAt: null, reason: 'applying a saved plan' }
    : decideIncarnation(persisted, crashDetected, () => mintIncarnation(now()));
  // A rollback or a chosen few sessions are a new run: an interrupted one is not resumed past
  // RESTORING (its incarnation is kept, so what it restored stays in sync).
  const fresh = options.generation !== undefined || (options.sessions?.length ?? 0) > 0;
  const decision = fresh && decided.resumeAt ? { ...decided, resumeAt: null } : decided;
  const stamp = () => new Date(now()).toISOString();
  const run: RecoveryRun = {
    config,
    bus,
    now,
    unsaved: deps.unsaved,
    savedPlan: options.plan ?? null,
    only: options.sessions ?? [],
    notes: options.notes,
    state: {
      version: 1,
      runId: randomUUID(),
      workspaceId: config.workspaceId,
      incarnation: decision.incarnation,
      stage: 'DETECTING',
      attempt: 1,
      checkpointGeneration: null,
      outcomes: decision.resumeAt && persisted ? persisted.outcomes : [],
      failureReason: null,
      startedAt: stamp(),
      updatedAt: stamp(),
    },
    inventory: null,
    plan: null,
    cleanup: null,
    async save(patch) {
      run.state = { ...run.state, ...patch, updatedAt: stamp() };
      const state = run.state;
      await deps.unsaved.attempt(() => writeRecoveryState(config.stateDir, state));
    },
  };
  await run.save({});

  const stages: StageWork[] = [
    ['INVENTORYING', (attemptSignal) => inventoryStage(run, attemptSignal)],
    ['RESTORING', (attemptSignal) => restoreStage(run, attemptSignal)],
    ['RECONCILING', (attemptSignal) => reconcileStage(run, attemptSignal)],
  ];
  const reached = await runStageSequence(stages, {
    resumeAt: decision.resumeAt,
    resumeReason: decision.reason,
    bus,
    save: run.save,
    attemptOf: () => run.state.attempt,
    timeoutMs: deps.stageTimeoutMs ?? STAGE_TIMEOUT_MS,
    signal,
  });
  return finish(
    bus,
    runReportOf({
      config,
      stage: reached,
      state: run.state,
      inventory: run.inventory,
      plan: run.plan,
      cleanup: run.cleanup,
      stateUnsaved: deps.unsaved.reason(),
      durationMs: now() - started,
    }),
  );
}
