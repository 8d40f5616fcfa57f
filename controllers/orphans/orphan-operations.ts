import { countCleanup } from './cleanup-counts.js';
import { updateReview } from '../../actions/record-review.js';
import { planApproval, type ApprovalOptions } from '../../diff/plan-approval.js';
import type { CleanupCounts } from '../../specs/events.js';
import type { ReviewRecord } from '../../specs/orphans.js';
import type { Outcome } from '../../specs/outcome.js';
import type {
  Action,
  CleanupAction,
  FlagAction,
  RemoveAction,
  TerminateAction,
} from '../../specs/plan.js';
import { RefusedError } from '../../specs/remedies.js';
import type { OrphanReport } from '../../specs/reports.js';
import { observeReview } from '../../store/review-file.js';
import { previewPlan } from '../preview-plan.js';
import type { WorkspaceConfig } from '../workspace-config.js';
import { applyPlanned } from '../reconcile.js';

export type { ApprovalOptions };

const ORPHANS_INCARNATION = 'orphans';

/** What the crash left behind, classified: safe to clean (proven ours), or needing review. */
export async function scanOrphans(config: WorkspaceConfig): Promise<OrphanReport> {
  const preview = await previewPlan(config, Date.now, undefined, false, true);
  if (!preview.ok) throw new Error(preview.reason);
  // With no checkpoint yet, "not in the checkpoint" says nothing: only what the ledger proves
  // ours (and stale temp files) is reported, never a live session as stale.
  const blank = preview.checkpoint.generation < 0;
  const cleanup = preview.plan.actions.filter(
    (a): a is CleanupAction => a.wave === 4 && !(blank && a.key.startsWith('stale-session:')),
  );
  const review = await observeReview(config.stateDir);
  const safeToTerminate = cleanup.filter(
    (a): a is TerminateAction | RemoveAction => a.kind !== 'flag',
  );
  const flags = cleanup.filter((a): a is FlagAction => a.kind === 'flag');
  // A pending item whose key is flagged anew named something that is no longer there.
  const reflagged = new Set(flags.map((flag) => flag.key));
  const pending =
    review.status === 'ok'
      ? review.items.filter((item) => item.status === 'pending' && !reflagged.has(item.key))
      : [];
  const needsReview = [...flags, ...pending];
  return {
    safeToTerminate,
    needsReview,
    totalFound: safeToTerminate.length + needsReview.length,
    held: preview.plan.unavailable,
  };
}

/** Applies exactly `report` (terminations fenced by start time, flags recorded). */
export async function cleanupOrphans(
  config: WorkspaceConfig,
  report: OrphanReport,
  onOutcome: (outcome: Outcome) => void = () => undefined,
): Promise<CleanupCounts> {
  const actions = [
    ...report.safeToTerminate,
    ...report.needsReview.filter((item): item is FlagAction => 'kind' in item),
  ];
  const outcomes = await applyPlanned(
    config,
    { actions, blocked: [] },
    { incarnation: ORPHANS_INCARNATION, onOutcome: async (outcome) => onOutcome(outcome) },
  );
  return countCleanup(config.stateDir, outcomes);
}

/**
 * The operator approves one review item: the world is observed and planned again first
 * (diff/plan-approval.ts decides), then the one action that settles it is executed like any
 * plan action. Throws the one-line reason when it is refused or fails (a RefusedError with its
 * remedy, when the operator can do something about it); the item stays pending.
 */
export async function approveReview(
  config: WorkspaceConfig,
  id: string,
  options: ApprovalOptions = {},
): Promise<string> {
  const item = await pendingItem(config, id);
  const preview = await previewPlan(config, Date.now, undefined, true);
  if (!preview.ok) throw new Error(`cannot re-check ${item.id}: ${preview.reason}`);
  const approval = planApproval(item, preview.plan, options);
  const apply = (action: Action) =>
    applyPlanned(config, { actions: [action], blocked: [] }, { incarnation: ORPHANS_INCARNATION });
  if (!approval.ok) {
    // What now carries the item's key is a new item in its place, never approved with it.
    if (approval.reflag) await apply(approval.reflag);
    throw new RefusedError(approval.reason, approval.remedy);
  }
  const [outcome] = await apply(approval.action);
  if (!outcome || outcome.status !== 'succeeded')
    throw new RefusedError(outcome?.message ?? `${id}: nothing was done`, outcome?.remedy);
  await updateReview(config.stateDir, (items) => items.filter((entry) => entry.id !== id));
  return outcome.message;
}

/** The operator leaves a review item alone for good: it is not flagged again. */
export async function dismissReview(config: WorkspaceConfig, id: string): Promise<string> {
  await pendingItem(config, id);
  await updateReview(config.stateDir, (items) =>
    items.map((entry) => (entry.id === id ? { ...entry, status: 'dismissed' as const } : entry)),
  );
  return `dismissed ${id}: it will not be flagged again`;
}

async function pendingItem(config: WorkspaceConfig, id: string): Promise<ReviewRecord> {
  const review = await observeReview(config.stateDir);
  if (review.status === 'unavailable') throw new Error(review.reason);
  const item = review.items.find((entry) => entry.id === id && entry.status === 'pending');
  if (!item) throw new RefusedError(`no pending review item ${id}`, { code: 'review_orphans' });
  return item;
}
