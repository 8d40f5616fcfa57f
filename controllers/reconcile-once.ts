import type { ExecutorContext } from '../actions/executor-context.js';
import { planRecovery } from '../diff/plan-recovery.js';
import { observeActualState } from '../observers/observe-actual-state.js';
import type { DesiredState } from '../specs/desired-state.js';
import type { Outcome } from '../specs/outcome.js';
import type { Plan } from '../specs/plan.js';
import { applyPlan } from './apply-plan.js';
import type { EventBus } from './event-bus.js';
import { forcedBackend, type WorkspaceConfig } from './workspace-config.js';

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
  options: { readonly incarnation: string; readonly dryRun: boolean; readonly bus: EventBus },
  signal?: AbortSignal,
): Promise<ReconcileResult> {
  const started = Date.now();
  const backend = forcedBackend(config.backend);
  const actual = await observeActualState(
    desired,
    {
      stateDir: config.stateDir,
      tmux: config.tmux,
      zellij: config.zellij,
      timeoutMs: config.timeoutMs,
      backends: backend ? [backend] : [],
      now: Date.now,
    },
    signal,
  );
  const plan = planRecovery(desired, actual, { incarnation: options.incarnation, backend });
  if (options.dryRun) return { plan, outcomes: [], durationMs: Date.now() - started };
  const ctx: ExecutorContext = { ...config, incarnation: options.incarnation, signal };
  const outcomes = await applyPlan(plan, ctx, options.bus, async () => undefined);
  return { plan, outcomes, durationMs: Date.now() - started };
}
