import { countCleanup } from '../orphans/cleanup-counts.js';
import { parseResourceKey } from '../../specs/resource-keys.js';
import type { CleanupCounts } from '../../specs/events.js';
import type { Outcome } from '../../specs/outcome.js';
import type { Action, Plan } from '../../specs/plan.js';
import { type ApplyRequest, applyPlanned } from '../reconcile.js';
import { takeInventory } from './take-inventory.js';
import type { WorkspaceConfig } from '../workspace-config.js';

const isCleanup = (action: Action) => action.wave === 4;

/**
 * RECONCILING, wave 4: terminate proven orphans, remove stale temp files, flag the rest. Without
 * a saved plan it scans afresh (level-triggered) and scans once more when stale sessions were
 * killed, since their shells' children may survive the SIGHUP as new orphans.
 */
export async function reconcileOrphans(
  config: WorkspaceConfig,
  request: ApplyRequest,
  saved: Plan | null,
  signal?: AbortSignal,
): Promise<
  { ok: true; outcomes: Outcome[]; counts: CleanupCounts } | { ok: false; reason: string }
> {
  const outcomes: Outcome[] = [];
  let held: readonly string[] = saved?.unavailable ?? [];
  const apply = async (plan: Plan) => {
    const applied = await applyPlanned(
      config,
      plan,
      { ...request, select: isCleanup, reportBlocked: false },
      signal,
    );
    outcomes.push(...applied);
    return applied;
  };
  if (saved) {
    await apply(saved);
  } else {
    for (let pass = 0; pass < 2; pass += 1) {
      const inventory = await takeInventory(config, request.incarnation, Date.now, signal, true);
      if (!inventory.ok) return { ok: false, reason: inventory.reason };
      held = inventory.plan.unavailable;
      if (!inventory.plan.actions.some(isCleanup)) break;
      const applied = await apply(inventory.plan);
      if (
        !applied.some(
          (outcome) =>
            parseResourceKey(outcome.key)?.type === 'stale-session' &&
            outcome.status === 'succeeded',
        )
      )
        break;
    }
  }
  const counts = await countCleanup(config.stateDir, outcomes, held);
  request.bus?.emit('recovery.orphans.cleaned', counts);
  return { ok: true, outcomes, counts };
}
