import type { CleanupCounts } from '../../specs/events.js';
import type { Plan } from '../../specs/plan.js';
import type { RecoveryState } from '../../specs/state-files.js';
import { readSafeMode } from '../../store/recovery-files.js';
import { type ApplyRequest, applyPlanned } from '../reconcile.js';
import type { EventBus } from '../event-bus.js';
import { batchOutcomes } from './outcome-batches.js';
import { reconcileOrphans } from './reconcile-orphans.js';
import { staleness } from './run-report.js';
import { mergeOutcomes } from '../session-results.js';
import type { StageResult } from './run-stage.js';
import { type Inventory, takeInventory } from './take-inventory.js';
import type { UnsavedState } from './unsaved-state.js';
import type { WorkspaceConfig } from '../workspace-config.js';

export type Inventoried = Extract<Inventory, { ok: true }>;

/**
 * One recovery in progress: what its stages read and what they record. `state` is what is
 * persisted (`recovery-state.json`, through `save`); the rest lives only as long as the process.
 */
export interface RecoveryRun {
  readonly config: WorkspaceConfig;
  readonly bus: EventBus;
  readonly now: () => number;
  readonly unsaved: UnsavedState;
  /** A saved plan (`recover --plan`) to apply exactly, or null to plan afresh. */
  readonly savedPlan: Plan | null;
  /** Restore only these sessions (`recover --session`); empty: all. Cleanup is then skipped. */
  readonly only: readonly string[];
  /** Said with the checkpoint loaded (a rollback, a restore of some sessions only). */
  readonly notes: readonly string[];
  state: RecoveryState;
  inventory: Inventoried | null;
  plan: Plan | null;
  cleanup: CleanupCounts | null;
  save(patch: Partial<RecoveryState>): Promise<void>;
}

/** INVENTORYING: the newest valid checkpoint, the world observed, the plan (or a saved one). */
export async function inventoryStage(run: RecoveryRun, signal: AbortSignal): Promise<StageResult> {
  // A saved plan (from `plan`) includes the orphan scan: observe the same way to compare.
  const scanOrphans = run.savedPlan !== null;
  const taken = await takeInventory(
    run.config,
    run.state.incarnation,
    run.now,
    signal,
    scanOrphans,
    false,
    false,
    run.only,
  );
  if (!taken.ok) return { ok: false, reason: taken.reason, retryable: false };
  if (run.savedPlan) {
    const stale = staleness(run.savedPlan, taken.plan);
    if (stale) return { ok: false, reason: stale, retryable: false, remedy: { code: 'replan' } };
  }
  run.inventory = taken;
  run.plan = run.savedPlan ?? taken.plan;
  await run.save({ checkpointGeneration: taken.desired.generation });
  run.bus.emit('recovery.checkpoint.loaded', {
    generation: taken.desired.generation,
    source: taken.checkpoint.file,
    sessions: taken.desired.sessions.length,
    corrupt: taken.desired.corrupt.length,
    checkpointsFound: taken.checkpoint.found,
    warnings: [
      ...run.notes,
      ...onlyNote(run, taken.desired),
      ...taken.checkpoint.warnings,
      ...taken.checkpoint.skipped.map((s) => `skipped ${s.file}: ${s.reason}`),
    ],
  });
  run.bus.emit('recovery.plan.computed', {
    actions: run.plan.actions.length,
    blocked: run.plan.blocked.length,
    sessionsTotal:
      taken.desired.sessions.length +
      taken.desired.corrupt.filter((c) => c.kind === 'session').length,
  });
  return { ok: true };
}

/** RESTORING: waves 1-3 of the plan, the outcomes saved in batches and all of them at its end. */
export async function restoreStage(run: RecoveryRun, signal: AbortSignal): Promise<StageResult> {
  const ready = await ensureInventory(run, signal);
  if (!ready.ok) return ready;
  const outcomes = batchOutcomes(run.state.outcomes, (all) => run.save({ outcomes: all }), run.now);
  await applyPlanned(
    run.config,
    run.plan!,
    {
      ...(await applyRequestOf(run)),
      select: (action) => action.wave < 4,
      onOutcome: (outcome) => outcomes.add(outcome),
    },
    signal,
  );
  await outcomes.flush();
  return { ok: true };
}

/** RECONCILING: wave 4, what the crash left behind; nothing is destroyed without saved state. */
export async function reconcileStage(run: RecoveryRun, signal: AbortSignal): Promise<StageResult> {
  const ready = await ensureInventory(run, signal);
  if (!ready.ok) return ready;
  // Only some sessions restored: what the others are (live, orphaned, stale) is not this run's
  // business, so nothing is terminated, removed or flagged for them (said with the checkpoint).
  if (run.only.length > 0) return { ok: true };
  const unsavedReason = run.unsaved.reason();
  if (unsavedReason !== null) {
    // Reviews and resume points cannot be recorded: destroy nothing, say why.
    run.cleanup = {
      terminated: 0,
      removed: 0,
      reviewPending: 0,
      held: [`the state dir (${unsavedReason})`],
    };
    run.bus.emit('recovery.orphans.cleaned', run.cleanup);
    return { ok: true };
  }
  const result = await reconcileOrphans(
    run.config,
    await applyRequestOf(run),
    run.savedPlan,
    signal,
  );
  if (!result.ok) return { ok: false, reason: result.reason, retryable: true };
  run.cleanup = result.counts;
  await run.save({ outcomes: mergeOutcomes(run.state.outcomes, result.outcomes) });
  return { ok: true };
}

function onlyNote(run: RecoveryRun, desired: Inventoried['desired']): string[] {
  if (run.only.length === 0) return [];
  return [
    `restoring only ${run.only.join(', ')} of generation ${desired.generation}: every other session was left as it is, and orphan cleanup was skipped`,
  ];
}

// A resumed run starts past INVENTORYING: it takes the inventory inside its first stage.
function ensureInventory(run: RecoveryRun, signal: AbortSignal): Promise<StageResult> {
  return run.inventory ? Promise.resolve({ ok: true }) : inventoryStage(run, signal);
}

async function applyRequestOf(run: RecoveryRun): Promise<ApplyRequest> {
  return {
    incarnation: run.state.incarnation,
    bus: run.bus,
    safeMode: (await readSafeMode(run.config.stateDir)) !== null,
  };
}
