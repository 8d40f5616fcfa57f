import type { ActualState } from '../specs/actual-state.js';
import type { LaneEntrySpec } from '../specs/checkpoint-spec.js';
import { type Action, type BlockedItem, WAVES } from '../specs/plan.js';
import { laneKey } from '../specs/resource-keys.js';
import { blockMissingLane, blockUnobservableLane } from './blocked-items.js';
import { pairByKey } from './pair-by-key.js';

/** Plans wave 2 and returns the lanes whose worktree is gone, by lane id. */
export function planLanes(
  lanes: readonly LaneEntrySpec[],
  actual: ActualState,
  incarnation: string,
  actions: Action[],
  blocked: BlockedItem[],
): Map<string, LaneEntrySpec> {
  const missing = new Map<string, LaneEntrySpec>();
  const bindings = actual.laneBindings.status === 'ok' ? actual.laneBindings.items : [];
  const pairs = pairByKey(
    lanes,
    bindings,
    (lane) => lane.laneId,
    (binding) => binding.laneId,
  );
  for (const { desired: lane, actual: binding } of pairs) {
    if (!lane) continue;
    const worktrees = actual.repositories[lane.repository];
    if (!worktrees || worktrees.status === 'unavailable') {
      blocked.push(
        blockUnobservableLane(
          lane,
          worktrees?.status === 'unavailable' ? worktrees.reason : 'not observed',
        ),
      );
      continue;
    }
    const present =
      !actual.missingPaths.includes(lane.worktreePath) &&
      worktrees.items.some((worktree) => worktree.path === lane.worktreePath && !worktree.prunable);
    if (!present) {
      missing.set(lane.laneId, lane);
      blocked.push(blockMissingLane(lane));
      continue;
    }
    const inSync =
      binding !== undefined &&
      binding.incarnation === incarnation &&
      binding.worktreePath === lane.worktreePath &&
      binding.branch === lane.branch;
    if (!inSync) {
      actions.push({
        kind: 'reinventory',
        key: laneKey(lane.laneId),
        wave: WAVES.reinventory,
        reason: 'lane_present',
        lane,
      });
    }
  }
  return missing;
}
