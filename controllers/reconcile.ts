import type { ExecutorContext } from '../actions/executor-context.js';
import { planRecovery } from '../diff/plan-recovery.js';
import type { ActualState } from '../specs/actual-state.js';
import type { DesiredState } from '../specs/desired-state.js';
import type { Outcome } from '../specs/outcome.js';
import type { Action, BlockedItem, Plan } from '../specs/plan.js';
import { describeTerminateTarget } from '../specs/plan-text.js';
import type { EventBus } from './event-bus.js';
import { forcedBackend, observeOptionsOf, type WorkspaceConfig } from './workspace-config.js';
import { type World, worldOf } from './world.js';

/** What one reconcile is asked to do. */
export interface ReconcileRequest {
  /** The controller incarnation the plan binds resources to. */
  readonly incarnation: string;
  readonly now: () => number;
  /** Also scan for orphans, so the plan includes wave 4. */
  readonly scanOrphans?: boolean | undefined;
  /** Flag items already in review again (approve re-checks an item against a fresh plan). */
  readonly reflagReviewed?: boolean | undefined;
  /** Absent: a dry run (observe and plan only). */
  readonly apply?: Omit<ApplyRequest, 'incarnation'> | undefined;
  /** What to plan toward once the world is seen (the daemon leaves out what the user closed). */
  readonly narrow?: ((actual: ActualState) => DesiredState) | undefined;
}

export interface ApplyRequest {
  readonly incarnation: string;
  /** Where each outcome is published as an event (none: the caller reports them itself). */
  readonly bus?: EventBus | undefined;
  /** Crash-loop safe mode: respawns run the user's shell. */
  readonly safeMode?: boolean | undefined;
  /** Apply only these actions (a stage's waves; resources not backing off). */
  readonly select?: ((action: Action) => boolean) | undefined;
  /** Report blocked items as failures (off: a loop reports them once, elsewhere). */
  readonly reportBlocked?: boolean | undefined;
  /** Called with each outcome as it ends (recover persists its cursor there). */
  readonly onOutcome?: ((outcome: Outcome) => Promise<void>) | undefined;
}

export interface ReconcileResult {
  readonly actual: ActualState;
  readonly plan: Plan;
  /** Empty on a dry run. */
  readonly outcomes: readonly Outcome[];
  readonly durationMs: number;
}

/**
 * The one reconcile contract: observe the whole world (through the config's world), plan with
 * the pure diff toward `desired`, and, when asked, apply what is selected and publish every
 * outcome. recover's stages, the daemon's passes, `plan` and the host app's restore call it;
 * a plan made before (a saved or resumed one, an approved review item, a requested close) is
 * applied through `applyPlanned`, its second half. Level-triggered: it always looks again.
 */
export async function reconcile(
  config: WorkspaceConfig,
  desired: DesiredState,
  request: ReconcileRequest,
  signal?: AbortSignal,
): Promise<ReconcileResult> {
  const started = Date.now();
  const actual = await worldOf(config).observe(
    desired,
    observeOptionsOf(config, request.now, request.scanOrphans === true),
    signal,
  );
  const plan = planRecovery(request.narrow?.(actual) ?? desired, actual, {
    incarnation: request.incarnation,
    backend: forcedBackend(config.backend),
    instanceId: config.instanceId,
    prune: config.prune,
    reflagReviewed: request.reflagReviewed,
  });
  const outcomes = request.apply
    ? await applyPlanned(
        config,
        plan,
        { ...request.apply, incarnation: request.incarnation },
        signal,
      )
    : [];
  return { actual, plan, outcomes, durationMs: Date.now() - started };
}

/**
 * The second half of a reconcile: applies the selected actions of `plan` wave by wave through
 * the config's world (blocked items reported first), publishing each outcome.
 */
export async function applyPlanned(
  config: WorkspaceConfig,
  plan: Pick<Plan, 'actions' | 'blocked'>,
  request: ApplyRequest,
  signal?: AbortSignal,
): Promise<Outcome[]> {
  const ctx: ExecutorContext = {
    ...config,
    incarnation: request.incarnation,
    signal,
    safeMode: request.safeMode,
  };
  const select = request.select ?? (() => true);
  return applyPlan(
    worldOf(config),
    {
      actions: plan.actions.filter(select),
      blocked: request.reportBlocked === false ? [] : plan.blocked,
    },
    ctx,
    request.bus ?? null,
    request.onOutcome ?? (async () => undefined),
  );
}

/** What the plan could not do becomes a failed outcome at once: reported, never retried. */
function outcomeOfBlocked(item: BlockedItem): Outcome {
  return {
    key: item.key,
    kind: 'blocked',
    status: 'failed',
    reason: item.reason,
    message: item.message,
    durationMs: 0,
    remedy: item.remedy,
  };
}

function emitBlocked(bus: EventBus, item: BlockedItem): void {
  if (item.subject === 'session') {
    bus.emit('recovery.session.failed', {
      sessionId: item.id,
      sessionName: item.label,
      reason: item.reason,
      message: item.message,
      remedy: item.remedy,
    });
  } else {
    bus.emit('recovery.lane.failed', {
      laneId: item.id,
      reason: item.reason,
      message: item.message,
      remedy: item.remedy,
    });
  }
}

function emitOutcome(bus: EventBus, outcome: Outcome, action: Action): void {
  if (action.kind === 'reinventory') {
    if (outcome.status === 'succeeded') {
      bus.emit('recovery.lane.reinventoried', {
        laneId: action.lane.laneId,
        worktreePath: action.lane.worktreePath,
        branch: action.lane.branch,
      });
    } else {
      bus.emit('recovery.lane.failed', {
        laneId: action.lane.laneId,
        reason: outcome.reason,
        message: outcome.message,
        remedy: outcome.remedy,
      });
    }
    return;
  }
  if (action.kind === 'terminate') {
    if (outcome.status === 'succeeded') {
      bus.emit('recovery.orphan.terminated', {
        key: action.key,
        target: describeTerminateTarget(action.target),
        how: outcome.message,
      });
    }
    return;
  }
  if (action.kind === 'flag') {
    if (outcome.status === 'succeeded')
      bus.emit('recovery.orphan.flagged', {
        reviewId: action.reviewId,
        key: action.key,
        reason: action.reason,
        detail: action.detail,
      });
    return;
  }
  if (action.kind === 'remove') return;
  const { sessionId, sessionName } = action.session;
  if (outcome.status === 'succeeded') {
    bus.emit('recovery.session.restored', {
      sessionId,
      sessionName,
      status: action.kind === 'repair' ? 'repaired' : (outcome.restoredAs ?? 'respawned'),
      ...(outcome.shape ? { shape: outcome.shape } : {}),
      ...(outcome.notRestarted?.length ? { notRestarted: outcome.notRestarted } : {}),
      ...(outcome.notes?.length ? { notes: outcome.notes } : {}),
    });
  } else {
    bus.emit('recovery.session.failed', {
      sessionId,
      sessionName,
      reason: outcome.reason,
      message: outcome.message,
      remedy: outcome.remedy ?? { code: 'replan' },
    });
  }
}

/** Blocked items are reported this many at a time, the event loop yielded to between batches. */
export const BLOCKED_BATCH = 500;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * RESTORING: reports the blocked items, then applies the actions wave by wave. Each outcome is
 * emitted as an event and handed to `onOutcome` (which persists the plan cursor). Blocked items
 * are reported in batches with the loop yielded to in between (10,000 of them must not starve
 * the lock's heartbeat); once `ctx.signal` aborts, nothing more is reported or applied.
 */
export async function applyPlan(
  world: World,
  plan: Pick<Plan, 'actions' | 'blocked'>,
  ctx: ExecutorContext,
  bus: EventBus | null,
  onOutcome: (outcome: Outcome) => Promise<void>,
): Promise<Outcome[]> {
  const blocked: Outcome[] = [];
  for (let start = 0; start < plan.blocked.length; start += BLOCKED_BATCH) {
    if (start > 0) await yieldToLoop();
    if (ctx.signal?.aborted) return blocked;
    for (const item of plan.blocked.slice(start, start + BLOCKED_BATCH)) {
      if (bus) emitBlocked(bus, item);
      const outcome = outcomeOfBlocked(item);
      blocked.push(outcome);
      await onOutcome(outcome);
    }
  }
  if (ctx.signal?.aborted) return blocked;
  const applied = await world.execute(plan.actions, ctx, async (outcome, action) => {
    if (bus) emitOutcome(bus, outcome, action);
    await onOutcome(outcome);
  });
  return [...blocked, ...applied];
}
