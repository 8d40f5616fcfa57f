import type { Plan } from '../specs/plan.js';
import { decideIncarnation, mintIncarnation } from './recover/stage-machine.js';
import { readRecoveryState } from '../store/recovery-files.js';
import type { CheckpointSummary } from '../specs/reports.js';
import { takeInventory } from './recover/take-inventory.js';
import type { WorkspaceConfig } from './workspace-config.js';
import { inspectLock } from './workspace-lock.js';

export type PlanPreview =
  | { readonly ok: true; readonly plan: Plan; readonly checkpoint: CheckpointSummary }
  | { readonly ok: false; readonly reason: string };

/**
 * The dry run: the plan `recover` would apply right now, computed by the same code path with
 * the incarnation recover would use. Changes nothing (no lock, no state, no crash record).
 */
export async function previewPlan(
  config: WorkspaceConfig,
  now: () => number = Date.now,
  signal?: AbortSignal,
  /** Flag items already in review again (approve re-checks an item against this). */
  reflagReviewed = false,
  /** Plan against an empty desired state when no checkpoint was ever written. */
  withoutCheckpoint = false,
): Promise<PlanPreview> {
  const [persisted, lock] = await Promise.all([
    readRecoveryState(config.stateDir),
    inspectLock(config.stateDir, now()),
  ]);
  const { incarnation } = decideIncarnation(persisted, lock.state === 'stale', () =>
    mintIncarnation(now()),
  );
  const inventory = await takeInventory(
    config,
    incarnation,
    now,
    signal,
    true,
    reflagReviewed,
    withoutCheckpoint,
  );
  if (!inventory.ok) return { ok: false, reason: inventory.reason };
  return { ok: true, plan: inventory.plan, checkpoint: inventory.checkpoint };
}
