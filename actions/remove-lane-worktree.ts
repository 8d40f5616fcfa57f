import { runGit } from '../clients/git.js';
import { firstLine } from '../clients/run-command.js';
import { readWorktreeContents } from '../clients/worktree-contents.js';
import { hiddenFiles, listPaths } from '../specs/identity-text.js';
import type { Outcome } from '../specs/outcome.js';
import type { RemoveAction } from '../specs/plan.js';
import type { Remedy } from '../specs/remedies.js';
import type { ExecutorContext } from './executor-context.js';
import { outcomeOf } from './outcome-of.js';

/** Entries of `found` the operator did not let go of (`agreed` undefined: none). */
const unlisted = (found: readonly string[], agreed: readonly string[] | undefined) =>
  found.filter((path) => !(agreed ?? []).includes(path));

/**
 * Removes an abandoned lane worktree that the operator approved, only when it holds nothing
 * lost that the operator did not let go of: uncommitted changes and untracked files refuse it,
 * always; git-ignored files, and files whose skip-worktree or assume-unchanged bit hides their
 * edits from git status, refuse it (listed) unless each one is in the action's
 * `discardIgnored` / `discardHidden` (what the review listed and the operator accepted). The
 * state is read right before removing, whatever the repository's `status.*` settings hide, so
 * anything that appeared since the review refuses it. The branch and its commits are kept.
 */
export async function removeLaneWorktree(
  action: RemoveAction,
  ctx: ExecutorContext,
): Promise<Outcome> {
  const started = Date.now();
  const { path } = action;
  const done = (status: Outcome['status'], message: string, remedy?: Remedy): Outcome => ({
    ...outcomeOf(action, started, status, message),
    ...(remedy ? { remedy } : {}),
  });
  const options = { timeoutMs: ctx.timeoutMs, env: ctx.env, signal: ctx.signal };
  const read = await readWorktreeContents(path, options);
  if (!read.ok)
    return done('failed', `cannot read the state of ${path} (${read.reason}): not removed`);
  const { changed, ignored, skipWorktree, assumeUnchanged } = read.contents;
  if (changed.length > 0)
    return done(
      'failed',
      `${path} has uncommitted changes: never removed (${listPaths(changed)} changed or untracked: commit, stash or move them first)`,
    );
  // Not let go of: approve again letting them go. Let go of, but not what the review listed:
  // the operator reviews the lane again.
  const refuse = (what: string, agreed: readonly string[] | undefined, letGo?: Remedy) =>
    agreed === undefined
      ? done('failed', `${what}; not removed`, letGo)
      : done('failed', `${what}; not removed (they were not listed when it was reviewed)`, {
          code: 'review_orphans',
        });
  const approveLettingGo = (files: { ignored?: true; hidden?: true }): Remedy | undefined =>
    action.reviewId === undefined
      ? undefined
      : {
          code: 'approve_review',
          reviewId: action.reviewId,
          discardIgnored: files.ignored ?? action.discardIgnored !== undefined,
          discardHiddenEdits: files.hidden ?? action.discardHidden !== undefined,
        };
  const lostHidden = hiddenFiles({
    skipWorktree: unlisted(skipWorktree, action.discardHidden),
    assumeUnchanged: unlisted(assumeUnchanged, action.discardHidden),
  });
  if (lostHidden.length > 0)
    return refuse(
      `${path} holds files git status does not show that removal would delete: ${listPaths(lostHidden)}`,
      action.discardHidden,
      approveLettingGo({ hidden: true }),
    );
  const lostIgnored = unlisted(ignored, action.discardIgnored);
  if (lostIgnored.length > 0)
    return refuse(
      `${path} holds git-ignored files that removal would delete: ${listPaths(lostIgnored)}`,
      action.discardIgnored,
      approveLettingGo({ ignored: true }),
    );
  // Never --force: git itself refuses a worktree that changed since the read above, untracked
  // files included whatever the repository's status.showUntrackedFiles says.
  const removed = await runGit(
    path,
    ['-c', 'status.showUntrackedFiles=all', 'worktree', 'remove', path],
    options,
  );
  if (removed.status !== 'exited' || removed.exitCode !== 0)
    return done(
      'failed',
      `git worktree remove ${path} failed: ${removed.status === 'exited' ? firstLine(removed.stderr) : removed.reason}`,
    );
  return done('succeeded', `removed worktree ${path} (its branch and commits are kept)`);
}
