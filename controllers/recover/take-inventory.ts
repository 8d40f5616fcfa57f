import type { ActualState } from '../../specs/actual-state.js';
import { loadNewestCheckpoint } from '../../store/checkpoint-store.js';
import { untrustedReason } from '../../store/private-dir.js';
import type { DesiredState } from '../../specs/desired-state.js';
import type { Plan } from '../../specs/plan.js';
import type { CheckpointSummary } from '../../specs/reports.js';
import { onlySessions } from '../generation-writes.js';
import { reconcile } from '../reconcile.js';
import type { WorkspaceConfig } from '../workspace-config.js';

export type Inventory =
  | {
      readonly ok: true;
      readonly checkpoint: CheckpointSummary;
      readonly desired: DesiredState;
      readonly actual: ActualState;
      readonly plan: Plan;
    }
  | { readonly ok: false; readonly reason: string; readonly checkpoint: CheckpointSummary | null };

/**
 * INVENTORYING: loads the newest valid checkpoint, observes the world and computes the plan for
 * `incarnation`. Fails (without throwing) only when no checkpoint can be used.
 */
export async function takeInventory(
  config: WorkspaceConfig,
  incarnation: string,
  now: () => number,
  signal?: AbortSignal,
  /** Also scan for orphans, so the plan includes wave 4. */
  scanOrphans = false,
  /** Flag items already in review again (approve re-checks an item against a fresh plan). */
  reflagReviewed = false,
  /**
   * With no checkpoint at all (none written yet, never a damaged one), plan against an empty
   * desired state (the orphan scan of a host that has not restored yet).
   */
  withoutCheckpoint = false,
  /** Restore only these sessions (by name; `recover --session`): the rest is not planned. */
  only: readonly string[] = [],
): Promise<Inventory> {
  const loaded = await loadNewestCheckpoint(config.stateDir);
  // Only a trusted state dir with no checkpoint file at all stands for "nothing yet".
  const blank =
    withoutCheckpoint &&
    !loaded.ok &&
    loaded.found === 0 &&
    loaded.skipped.length === 0 &&
    (await untrustedReason(config.stateDir)) === null;
  if (!loaded.ok && !blank) return { ok: false, reason: loaded.reason, checkpoint: null };
  let desired: DesiredState = loaded.ok ? loaded.desired : emptyDesiredState(config.workspaceId);
  if (only.length > 0) {
    const picked = onlySessions(desired, only);
    if (!picked.ok) return { ok: false, reason: picked.reason, checkpoint: null };
    desired = picked.desired;
  }
  const checkpoint: CheckpointSummary = {
    file: loaded.ok ? loaded.file : '',
    generation: desired.generation,
    found: loaded.found,
    skipped: loaded.skipped,
    warnings: desired.warnings,
  };
  if (desired.workspaceId !== config.workspaceId) {
    return {
      ok: false,
      reason: `checkpoint ${checkpoint.file} belongs to workspace ${desired.workspaceId}, not ${config.workspaceId}`,
      checkpoint,
    };
  }
  const { actual, plan } = await reconcile(
    config,
    desired,
    { incarnation, now, scanOrphans, reflagReviewed },
    signal,
  );
  return { ok: true, checkpoint, desired, actual, plan };
}

/** The desired state of a workspace that has no checkpoint: nothing (generation -1). */
function emptyDesiredState(workspaceId: string): DesiredState {
  return {
    workspaceId,
    generation: -1,
    createdAt: new Date(0).toISOString(),
    host: '',
    sessions: [],
    lanes: [],
    shareWorkers: [],
    corrupt: [],
    warnings: [],
  };
}
