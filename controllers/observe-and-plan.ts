import { planRecovery } from '../diff/plan-recovery.js';
import type { ActualState } from '../specs/actual-state.js';
import type { DesiredState } from '../specs/desired-state.js';
import type { Plan } from '../specs/plan.js';
import { forcedBackend, observeOptionsOf, type WorkspaceConfig } from './workspace-config.js';
import { worldOf } from './world.js';

export interface PlanRequest {
  /** The controller incarnation the plan binds resources to. */
  readonly incarnation: string;
  readonly now: () => number;
  /** Also scan for orphans, so the plan includes wave 4. */
  readonly scanOrphans: boolean;
  /** Flag items already in review again (approve re-checks an item against a fresh plan). */
  readonly reflagReviewed?: boolean | undefined;
}

/**
 * The first half of every reconcile (recover's INVENTORYING, the daemon's passes, `plan`, the
 * host app's restore): observe the whole world through the config's world, then the pure diff.
 * The second half is `applyPlan`. Nothing here decides anything the diff does not.
 */
export async function observeAndPlan(
  config: WorkspaceConfig,
  desired: DesiredState,
  request: PlanRequest,
  signal?: AbortSignal,
): Promise<{ readonly actual: ActualState; readonly plan: Plan }> {
  const actual = await worldOf(config).observe(
    desired,
    observeOptionsOf(config, request.now, request.scanOrphans),
    signal,
  );
  const plan = planRecovery(desired, actual, {
    incarnation: request.incarnation,
    backend: forcedBackend(config.backend),
    instanceId: config.instanceId,
    prune: config.prune,
    reflagReviewed: request.reflagReviewed,
  });
  return { actual, plan };
}
