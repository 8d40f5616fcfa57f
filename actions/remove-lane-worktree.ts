import { runGit } from '../clients/git.js';
import { firstLine } from '../clients/run-command.js';
import type { Outcome } from '../specs/outcome.js';
import type { RemoveAction } from '../specs/plan.js';
import type { ExecutorContext } from './executor-context.js';
import { outcomeOf } from './outcome-of.js';

const MAX_LISTED = 10;

/**
 * Removes an abandoned lane worktree that the operator approved, only when it holds nothing git
 * would not bring back: uncommitted changes refuse it, always; git-ignored files refuse it
 * (listed) unless the action says `discardIgnored`. The branch and its commits are kept.
 * The state is read right before removing, so a change made since the review still counts.
 */
export async function removeLaneWorktree(
  action: RemoveAction,
  ctx: ExecutorContext,
): Promise<Outcome> {
  const started = Date.now();
  const { path } = action;
  const done = (status: Outcome['status'], message: string) =>
    outcomeOf(action, started, status, message);
  const git = (args: string[]) =>
    runGit(path, args, { timeoutMs: ctx.timeoutMs, env: ctx.env, signal: ctx.signal });
  const status = await git(['status', '--porcelain', '--ignored', '-z']);
  if (status.status !== 'exited' || status.exitCode !== 0)
    return done('failed', `cannot read the state of ${path}: not removed`);
  const entries = status.stdout.split('\0').filter((entry) => entry.length > 0);
  if (entries.some((entry) => !entry.startsWith('!! ')))
    return done(
      'failed',
      `${path} has uncommitted changes: never removed (commit or stash them first)`,
    );
  const ignored = entries.map((entry) => entry.slice(3));
  if (ignored.length > 0 && action.discardIgnored !== true) {
    const more = ignored.length > MAX_LISTED ? ` and ${ignored.length - MAX_LISTED} more` : '';
    return done(
      'failed',
      `${path} holds git-ignored files that removal would delete: ${ignored.slice(0, MAX_LISTED).join(', ')}${more}; not removed (move them, or approve with --discard-ignored)`,
    );
  }
  // Never --force: git itself refuses a worktree that changed since the status above.
  const removed = await git(['worktree', 'remove', path]);
  if (removed.status !== 'exited' || removed.exitCode !== 0)
    return done(
      'failed',
      `git worktree remove ${path} failed: ${removed.status === 'exited' ? firstLine(removed.stderr) : removed.reason}`,
    );
  return done('succeeded', `removed worktree ${path} (its branch and commits are kept)`);
}
