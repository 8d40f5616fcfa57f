import { runGit } from '../clients/git.js';
import { firstLine } from '../clients/run-command.js';
import type { Outcome } from '../specs/outcome.js';
import type { ReinventoryAction } from '../specs/plan.js';
import type { Remedy } from '../specs/remedies.js';
import type { ExecutorContext } from './executor-context.js';
import { writeLaneBinding } from '../clients/write-binding.js';

/**
 * Verifies a lane's worktree (`git rev-parse` inside it) and records it in the inventory of this
 * incarnation. A branch that moved is reported, not changed: the lane is the user's.
 */
export async function executeReinventory(
  action: ReinventoryAction,
  ctx: ExecutorContext,
): Promise<Outcome> {
  const started = Date.now();
  const { lane } = action;
  const done = (
    status: Outcome['status'],
    reason: string,
    message: string,
    remedy?: Remedy,
  ): Outcome => ({
    key: action.key,
    kind: 'reinventory',
    status,
    reason,
    message,
    durationMs: Date.now() - started,
    ...(remedy ? { remedy } : {}),
  });
  const result = await runGit(lane.worktreePath, ['rev-parse', '--abbrev-ref', 'HEAD'], {
    timeoutMs: ctx.timeoutMs,
    env: ctx.env,
    signal: ctx.signal,
  });
  if (result.status === 'failed' || result.exitCode !== 0) {
    const why = result.status === 'failed' ? result.reason : firstLine(result.stderr);
    return done(
      'failed',
      'reinventory_failed',
      `worktree ${lane.worktreePath} cannot be read: ${why}`,
      { code: 'check_worktrees', repository: lane.repository },
    );
  }
  try {
    await writeLaneBinding(ctx.stateDir, {
      laneId: lane.laneId,
      incarnation: ctx.incarnation,
      worktreePath: lane.worktreePath,
      branch: lane.branch,
    });
  } catch (error) {
    return done(
      'failed',
      'reinventory_failed',
      `cannot record lane ${lane.laneId}: ${(error as Error).message}`,
    );
  }
  const branch = result.stdout.trim();
  const note =
    branch === lane.branch ? `on ${branch}` : `on ${branch} (checkpoint had ${lane.branch})`;
  return done('succeeded', action.reason, `lane ${lane.laneId} at ${lane.worktreePath} ${note}`);
}
