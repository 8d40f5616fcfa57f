import type { ExecutorContext } from '../actions/executor-context.js';
import type { DesiredState } from '../specs/desired-state.js';
import type { Outcome } from '../specs/outcome.js';
import type { Action, Plan } from '../specs/plan.js';
import { applyPlan } from './apply-plan.js';
import type { EventBus } from './event-bus.js';
import { observeAndPlan } from './observe-and-plan.js';
import type { WorkspaceConfig } from './workspace-config.js';

export interface ReconcileResult {
  readonly plan: Plan;
  /** Empty on a dry run. */
  readonly outcomes: readonly Outcome[];
  readonly durationMs: number;
}

/**
 * One level-triggered pass: observe the whole world, plan toward `desired`, and (unless a dry
 * run) apply. Triggers carry nothing this function trusts; it always looks again.
 */
export async function reconcileOnce(
  config: WorkspaceConfig,
  desired: DesiredState,
  options: {
    readonly incarnation: string;
    readonly dryRun: boolean;
    readonly bus: EventBus;
    /** Also plan wave 4 (orphans). */
    readonly scanOrphans?: boolean;
    /** Leave these actions out of this pass (e.g. resources backing off). */
    readonly skip?: (action: Action) => boolean;
    /** Report blocked items as failures (a one-shot restore); a loop reports them once. */
    readonly reportBlocked?: boolean;
    readonly safeMode?: boolean;
  },
  signal?: AbortSignal,
): Promise<ReconcileResult> {
  const started = Date.now();
  const { plan } = await observeAndPlan(
    config,
    desired,
    {
      incarnation: options.incarnation,
      now: Date.now,
      scanOrphans: options.scanOrphans === true,
    },
    signal,
  );
  if (options.dryRun) return { plan, outcomes: [], durationMs: Date.now() - started };
  const ctx: ExecutorContext = {
    ...config,
    incarnation: options.incarnation,
    signal,
    safeMode: options.safeMode,
  };
  const skip = options.skip ?? (() => false);
  const applied: Plan = {
    ...plan,
    actions: plan.actions.filter((action) => !skip(action)),
    blocked: options.reportBlocked === false ? [] : plan.blocked,
  };
  const outcomes = await applyPlan(applied, ctx, options.bus, async () => undefined, config.world);
  return { plan, outcomes, durationMs: Date.now() - started };
}
