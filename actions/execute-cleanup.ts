import { outcomeOf } from './outcome-of.js';
import { removeLaneWorktree } from './remove-lane-worktree.js';
import { TEMP_FILE_MIN_AGE_MS } from '../specs/orphans.js';
import { stat, unlink } from 'node:fs/promises';
import { clientFor } from '../clients/multiplexer-clients.js';
import type { Outcome } from '../specs/outcome.js';
import type { FlagAction, RemoveAction, TerminateAction } from '../specs/plan.js';
import type { ExecutorContext } from './executor-context.js';
import { updateReview } from './record-review.js';
import { recordFlags } from '../specs/review-list.js';
import { protectedPidsOfSelf, terminateFenced } from './signal-process.js';

async function killSession(
  action: TerminateAction & { target: { type: 'session' } },
  ctx: ExecutorContext,
): Promise<Outcome> {
  const started = Date.now();
  const { backend, name } = action.target;
  const killed = await clientFor(backend).kill(ctx, name);
  if (!killed.ok) return outcomeOf(action, started, 'failed', killed.reason);
  if (killed.alreadyGone)
    return outcomeOf(action, started, 'succeeded', `${backend} session ${name} already gone`);
  return outcomeOf(action, started, 'succeeded', `killed stale ${backend} session ${name}`);
}

/** Terminates owned orphans and stale sessions, all in parallel (never one after another). */
export async function executeTerminates(
  actions: readonly TerminateAction[],
  ctx: ExecutorContext,
): Promise<Outcome[]> {
  const protectedPids = await protectedPidsOfSelf();
  return Promise.all(
    actions.map(async (action) => {
      const { target } = action;
      if (target.type === 'session') return killSession({ ...action, target }, ctx);
      const started = Date.now();
      const result = await terminateFenced(target, protectedPids);
      if (result.status === 'gone')
        return outcomeOf(action, started, 'succeeded', `${target.label}: ${result.how}`);
      return outcomeOf(
        action,
        started,
        result.status === 'fenced' ? 'skipped' : 'failed',
        result.reason,
      );
    }),
  );
}

/**
 * Removes stale temp files, re-checking their age right before, and lane worktrees the operator
 * approved (remove-lane-worktree.ts).
 */
export async function executeRemoves(
  actions: readonly RemoveAction[],
  ctx: ExecutorContext,
): Promise<Outcome[]> {
  return Promise.all(
    actions.map(async (action) => {
      if (action.target === 'lane-worktree') return removeLaneWorktree(action, ctx);
      const started = Date.now();
      const info = await stat(action.path).catch(() => null);
      if (!info) return outcomeOf(action, started, 'succeeded', `${action.path} already gone`);
      if (Date.now() - info.mtimeMs < TEMP_FILE_MIN_AGE_MS)
        return outcomeOf(action, started, 'skipped', `${action.path} was written again: kept`);
      try {
        await unlink(action.path);
        return outcomeOf(action, started, 'succeeded', `removed ${action.path}`);
      } catch (error) {
        return outcomeOf(
          action,
          started,
          'failed',
          `cannot remove ${action.path}: ${(error as NodeJS.ErrnoException).code}`,
        );
      }
    }),
  );
}

/** Records NeedsReview items in `review.json` (one write for the whole wave). */
export async function executeFlags(
  actions: readonly FlagAction[],
  ctx: ExecutorContext,
): Promise<Outcome[]> {
  if (actions.length === 0) return [];
  const started = Date.now();
  try {
    await updateReview(ctx.stateDir, (items) =>
      recordFlags(items, actions, new Date().toISOString()),
    );
    return actions.map((action) =>
      outcomeOf(
        action,
        started,
        'succeeded',
        `flagged for review as ${action.reviewId}: ${action.detail}`,
      ),
    );
  } catch (error) {
    return actions.map((action) =>
      outcomeOf(action, started, 'failed', `cannot record review: ${(error as Error).message}`),
    );
  }
}
