import type { CleanupCounts } from '../specs/events.js';
import { randomUUID } from 'node:crypto';
import type { ExecutorContext } from '../actions/executor-context.js';
import type { ActiveStage, RecoveryStage } from '../specs/events.js';
import type { Outcome } from '../specs/outcome.js';
import type { Plan } from '../specs/plan.js';
import { applyPlan } from './apply-plan.js';
import { reconcileOrphans } from './reconcile-orphans.js';
import { emptyReport, finish, runReportOf, staleness } from './recover-report.js';
import { readSafeMode } from '../store/safe-mode-file.js';
import type { EventBus } from './event-bus.js';
import { decideIncarnation, mintIncarnation, STAGE_TIMEOUT_MS } from './recovery-machine.js';
import type { RecoveryState } from '../specs/state-files.js';
import { readRecoveryState, writeRecoveryState } from '../store/recovery-state-file.js';
import type { RunReport } from '../specs/reports.js';
import { mergeOutcomes } from './run-report.js';
import { runStageSequence, type StageResult, type StageWork } from './run-stage.js';
import { type Inventory, takeInventory } from './take-inventory.js';
import type { WorkspaceConfig } from './workspace-config.js';
import type { HeldLock } from './workspace-lock.js';
import { openWorkspace } from './open-workspace.js';
import { trackUnsavedState, type UnsavedState } from './unsaved-state.js';

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
  /** Test-only fault injection: `onPause` runs once the stage is persisted (e.g. to crash there). */
  readonly pauseAt?: ActiveStage | undefined;
  readonly onPause?: (stage: ActiveStage) => Promise<void>;
  /** The daemon keeps the workspace lock after recovery; it gets it here instead of a release. */
  readonly keepLock?: (lock: HeldLock) => void;
}

type Inventoried = Extract<Inventory, { ok: true }>;

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
    options.command ?? 'helios-recover recover',
  );
  if (opened.refused !== undefined) return refuse(opened.refused);
  const { lock: held, crashDetected } = opened;
  let kept = false;
  try {
    const report = await runStages({ ...deps, unsaved }, options, crashDetected, started, signal);
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
  options: RecoverOptions,
  crashDetected: boolean,
  started: number,
  signal?: AbortSignal,
): Promise<RunReport> {
  const { config, bus } = deps;
  const now = deps.now ?? Date.now;
  const persisted = await readRecoveryState(config.stateDir);
  const decision = options.plan
    ? { incarnation: options.plan.incarnation, resumeAt: null, reason: 'applying a saved plan' }
    : decideIncarnation(persisted, crashDetected, () => mintIncarnation(now()));
  const stamp = () => new Date(now()).toISOString();
  let state: RecoveryState = {
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
  };
  const save = async (patch: Partial<RecoveryState>) => {
    state = { ...state, ...patch, updatedAt: stamp() };
    await deps.unsaved.attempt(() => writeRecoveryState(config.stateDir, state));
  };
  await save({});
  if (options.pauseAt === 'DETECTING') await options.onPause?.('DETECTING');

  let inventory: Inventoried | null = null;
  let plan: Plan | null = null;
  const report = (stage: RecoveryStage): RunReport =>
    runReportOf({
      config,
      stage,
      state,
      inventory,
      plan,
      cleanup,
      stateUnsaved: deps.unsaved.reason(),
      durationMs: now() - started,
    });

  const inventoryWork = async (attemptSignal: AbortSignal): Promise<StageResult> => {
    // A saved plan (from `plan`) includes the orphan scan: observe the same way to compare.
    const scanOrphans = options.plan !== undefined;
    const taken = await takeInventory(config, state.incarnation, now, attemptSignal, scanOrphans);
    if (!taken.ok) return { ok: false, reason: taken.reason, retryable: false };
    if (options.plan) {
      const stale = staleness(options.plan, taken.plan);
      if (stale) return { ok: false, reason: stale, retryable: false };
    }
    inventory = taken;
    plan = options.plan ?? taken.plan;
    await save({ checkpointGeneration: taken.desired.generation });
    bus.emit('recovery.checkpoint.loaded', {
      generation: taken.desired.generation,
      source: taken.checkpoint.file,
      sessions: taken.desired.sessions.length,
      corrupt: taken.desired.corrupt.length,
      checkpointsFound: taken.checkpoint.found,
      warnings: [
        ...taken.checkpoint.warnings,
        ...taken.checkpoint.skipped.map((s) => `skipped ${s.file}: ${s.reason}`),
      ],
    });
    bus.emit('recovery.plan.computed', {
      actions: plan.actions.length,
      blocked: plan.blocked.length,
      sessionsTotal:
        taken.desired.sessions.length +
        taken.desired.corrupt.filter((c) => c.kind === 'session').length,
    });
    return { ok: true };
  };

  const contextFor = async (attemptSignal: AbortSignal): Promise<ExecutorContext> => ({
    ...config,
    incarnation: state.incarnation,
    signal: attemptSignal,
    safeMode: (await readSafeMode(config.stateDir)) !== null,
  });

  // A resumed run starts past INVENTORYING: it takes the inventory inside its first stage.
  const ensureInventory = async (attemptSignal: AbortSignal): Promise<StageResult> =>
    inventory ? { ok: true } : inventoryWork(attemptSignal);

  const restoreWork = async (attemptSignal: AbortSignal): Promise<StageResult> => {
    const ready = await ensureInventory(attemptSignal);
    if (!ready.ok) return ready;
    const ctx = await contextFor(attemptSignal);
    let pending: Outcome[] = [];
    let lastSave = 0;
    const restoring = { ...plan!, actions: plan!.actions.filter((action) => action.wave < 4) };
    await applyPlan(
      restoring,
      ctx,
      bus,
      async (outcome) => {
        pending.push(outcome);
        if (now() - lastSave < 100) return;
        lastSave = now();
        const batch = pending;
        pending = [];
        await save({ outcomes: mergeOutcomes(state.outcomes, batch) });
      },
      config.world,
    );
    await save({ outcomes: mergeOutcomes(state.outcomes, pending) });
    return { ok: true };
  };

  let cleanup: CleanupCounts | null = null;
  const reconcileWork = async (attemptSignal: AbortSignal): Promise<StageResult> => {
    const ready = await ensureInventory(attemptSignal);
    if (!ready.ok) return ready;
    const unsavedReason = deps.unsaved.reason();
    if (unsavedReason !== null) {
      // Reviews and resume points cannot be recorded: destroy nothing, say why.
      cleanup = {
        terminated: 0,
        removed: 0,
        reviewPending: 0,
        held: [`the state dir (${unsavedReason})`],
      };
      bus.emit('recovery.orphans.cleaned', cleanup);
      return { ok: true };
    }
    const ctx = await contextFor(attemptSignal);
    const result = await reconcileOrphans(
      config,
      ctx,
      bus,
      options.plan ?? null,
      async () => undefined,
    );
    if (!result.ok) return { ok: false, reason: result.reason, retryable: true };
    cleanup = result.counts;
    await save({ outcomes: mergeOutcomes(state.outcomes, result.outcomes) });
    return { ok: true };
  };

  const stages: StageWork[] = [
    ['INVENTORYING', inventoryWork],
    ['RESTORING', restoreWork],
    ['RECONCILING', reconcileWork],
  ];
  const reached = await runStageSequence(stages, {
    resumeAt: decision.resumeAt,
    resumeReason: decision.reason,
    bus,
    save,
    attemptOf: () => state.attempt,
    timeoutMs: deps.stageTimeoutMs ?? STAGE_TIMEOUT_MS,
    pauseAt: options.pauseAt,
    onPause: options.onPause,
    signal,
  });
  return finish(bus, report(reached));
}
