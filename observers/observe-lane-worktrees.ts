import { laneOfPath } from '../specs/lane-path.js';
import type { Observation } from '../specs/actual-state.js';
import type { ScannedWorktree } from '../specs/orphans.js';
import { observeWorktrees } from './observe-worktrees.js';
import { type GitOptions, runGit } from '../clients/git.js';

async function git(path: string, args: string[], options: GitOptions): Promise<string | null> {
  const result = await runGit(path, args, options);
  return result.status === 'exited' && result.exitCode === 0 ? result.stdout : null;
}

/**
 * The worktrees under `<repo>/.helios-worktrees/` of each repository, with what removing one
 * would lose: uncommitted changes (`git status --porcelain`) and commits on no remote.
 */
export async function observeLaneWorktrees(
  repositories: readonly string[],
  options: GitOptions,
): Promise<Observation<ScannedWorktree>> {
  const items: ScannedWorktree[] = [];
  for (const repository of [...new Set(repositories)].sort()) {
    const listed = await observeWorktrees(repository, options);
    if (listed.status === 'unavailable')
      return { status: 'unavailable', reason: `worktrees of ${repository}: ${listed.reason}` };
    for (const worktree of listed.items) {
      const lane = laneOfPath(worktree.path);
      if (!lane || lane.worktreePath !== worktree.path) continue;
      if (lane.repository !== repository || worktree.prunable) continue;
      const [status, unpushed] = await Promise.all([
        git(worktree.path, ['status', '--porcelain'], options),
        git(worktree.path, ['rev-list', '--count', 'HEAD', '--not', '--remotes'], options),
      ]);
      items.push({
        repository,
        path: worktree.path,
        laneId: lane.laneId,
        branch: worktree.branch,
        dirty: status === null ? null : status.trim().length > 0,
        unpushed: unpushed === null ? null : Number(unpushed.trim()),
      });
    }
  }
  return { status: 'ok', items };
}
