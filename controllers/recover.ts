import type { CleanupCounts } from '../specs/events.js';
import { randomUUID } from 'node:crypto';
import type { ExecutorContext } from '../actions/executor-context.js';
import type { ActiveStage, RecoveryStage } from '../specs/events.js';
import type { Outcome } from '../specs/outcome.js';
import type { Plan } from '../specs/plan.js';
import { applyPlan } from './apply-plan.js';
import { detectCrash } from './detect-crash.js';
import { reconcileOrphans } from './reconcile-orphans.js';
import { emptyReport, finish, staleness } from './recover-report.js';
import { readSafeMode } from './safe-mode.js';
import type { EventBus } from './event-bus.js';
import {
  decideIncarnation,
  failedStageOf,
  MAX_STAGE_ATTEMPTS,
  mintIncarnation,
  type RecoveryState,
  STAGE_TIMEOUT_MS,
} from './recovery-machine.js';
import { readRecoveryState, writeRecoveryState } from './recovery-state-store.js';
import { mergeOutcomes, type RunReport, summarizeSessions } from './run-report.js';
import { runStageAttempt, type StageResult } from './run-stage.js';
import { type Inventory, takeInventory } from './take-inventory.js';
import type { WorkspaceConfig } from './workspace-config.js';
import { acquireLock, type HeldLock } from './workspace-lock.js';

export interface RecoverDeps {
  readonly config: WorkspaceConfig;
  readonly bus: EventBus;
  readonly now?: () => number;
  readonly stageTimeoutMs?: number;
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

type Work = (signal: AbortSignal) => Promise<StageResult>;
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
  const detection = await detectCrash(config, bus, now);
  if (detection.refused) return refuse(detection.reason);
  const { crashDetected } = detection;
  const held = await acquireLock(config.stateDir, options.command ?? 'helios-recover recover', now);
  if ('refused' in held) {
    const holder = held.refused;
    return refuse(
      `workspace ${config.workspaceId} is held by ${holder ? `pid ${holder.pid} (${holder.command})` : 'another process'}; stop it or wait for it to finish`,
    );
  }
  let kept = false;
  try {
    const report = await runStages(deps, options, crashDetected, started, signal);
    if (options.keepLock && report.stage === 'LIVE') {
      options.keepLock(held);
      kept = true;
    }
    return report;
  } finally {
    if (!kept) await held.release();
  }
}

async function runStages(
  deps: RecoverDeps,
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
    await writeRecoveryState(config.stateDir, state);
  };
  await save({});
  if (options.pauseAt === 'DETECTING') await options.onPause?.('DETECTING');

  let inventory: Inventoried | null = null;
  let plan: Plan | null = null;
  const report = (stage: RecoveryStage): RunReport => {
    const outcomes = state.outcomes;
    const sessions = inventory ? summarizeSessions(inventory.desired, plan, outcomes) : [];
    const withIssues =
      stage !== 'LIVE' ||
      outcomes.some((outcome) => outcome.status === 'failed') ||
      (cleanup?.reviewPending ?? 0) > 0 ||
      (cleanup?.held?.length ?? 0) > 0 ||
      (plan?.unavailable.length ?? 0) > 0;
    return {
      workspaceId: config.workspaceId,
      incarnation: state.incarnation,
      stage,
      checkpoint: inventory?.checkpoint ?? null,
      plan,
      outcomes,
      sessions,
      failureReason: state.failureReason,
      cleanup,
      withIssues,
      durationMs: now() - started,
    };
  };

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
    await applyPlan(restoring, ctx, bus, async (outcome) => {
      pending.push(outcome);
      if (now() - lastSave < 100) return;
      lastSave = now();
      const batch = pending;
      pending = [];
      await save({ outcomes: mergeOutcomes(state.outcomes, batch) });
    });
    await save({ outcomes: mergeOutcomes(state.outcomes, pending) });
    return { ok: true };
  };

  let cleanup: CleanupCounts | null = null;
  const reconcileWork = async (attemptSignal: AbortSignal): Promise<StageResult> => {
    const ready = await ensureInventory(attemptSignal);
    if (!ready.ok) return ready;
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

  const stages: [Exclude<ActiveStage, 'DETECTING' | 'LIVE'>, Work][] = [
    ['INVENTORYING', inventoryWork],
    ['RESTORING', restoreWork],
    ['RECONCILING', reconcileWork],
  ];
  const firstIndex = decision.resumeAt
    ? Math.max(
        0,
        stages.findIndex(([stage]) => stage === decision.resumeAt),
      )
    : 0;
  let from: RecoveryStage = 'DETECTING';
  for (const [stage, work] of stages.slice(firstIndex)) {
    let result: StageResult = { ok: false, reason: 'not run', retryable: true };
    for (let attempt = 1; attempt <= MAX_STAGE_ATTEMPTS; attempt += 1) {
      await save({ stage, attempt });
      const resumed = from === 'DETECTING' && decision.resumeAt !== null;
      bus.emit('recovery.stage.changed', {
        from,
        to: stage,
        attempt,
        ...(resumed ? { reason: decision.reason } : {}),
      });
      from = stage;
      if (attempt === 1 && options.pauseAt === stage) await options.onPause?.(stage);
      result = await runStageAttempt(work, deps.stageTimeoutMs ?? STAGE_TIMEOUT_MS, signal);
      if (result.ok || !result.retryable) break;
    }
    if (!result.ok) {
      const failed = failedStageOf(stage);
      await save({ stage: failed, failureReason: result.reason });
      bus.emit('recovery.stage.changed', {
        from: stage,
        to: failed,
        attempt: state.attempt,
        reason: result.reason,
      });
      return finish(bus, report(failed));
    }
  }
  await save({ stage: 'LIVE', attempt: 1 });
  bus.emit('recovery.stage.changed', { from, to: 'LIVE', attempt: 1 });
  return finish(bus, report('LIVE'));
}
