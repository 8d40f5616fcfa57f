import type { ExecutorContext } from '../actions/executor-context.js';
import { planRecovery } from '../diff/plan-recovery.js';
import type { ActualState } from '../specs/actual-state.js';
import type { DesiredState } from '../specs/desired-state.js';
import type { Outcome } from '../specs/outcome.js';
import type { Action, Plan } from '../specs/plan.js';
import { applyPlan } from './apply-plan.js';
import type { EventBus } from './event-bus.js';
import { forcedBackend, observeOptionsOf, type WorkspaceConfig } from './workspace-config.js';
import { worldOf } from './world.js';

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
  const plan = planRecovery(desired, actual, {
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
