import { laneOfPath } from '../specs/lane-path.js';
import type { Observation } from '../specs/actual-state.js';
import type { ScannedWorktree } from '../specs/orphans.js';
import { observeWorktrees } from './observe-worktrees.js';
import { type GitOptions, runGit } from '../clients/git.js';
import { readWorktreeContents } from '../clients/worktree-contents.js';

async function git(path: string, args: string[], options: GitOptions): Promise<string | null> {
  const result = await runGit(path, args, options);
  return result.status === 'exited' && result.exitCode === 0 ? result.stdout : null;
}

/**
 * The worktrees under `<repo>/.helios-worktrees/` of each repository, with the commit each is
 * on and what removing one would lose: uncommitted changes and untracked files, git-ignored
 * files, files whose skip-worktree or assume-unchanged bit hides them from `git status`
 * (clients/worktree-contents.ts, whatever the repository's `status.*` settings), and commits on
 * no remote.
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
      const [read, unpushed] = await Promise.all([
        readWorktreeContents(worktree.path, options),
        git(worktree.path, ['rev-list', '--count', 'HEAD', '--not', '--remotes'], options),
      ]);
      const contents = read.ok ? read.contents : null;
      items.push({
        repository,
        path: worktree.path,
        laneId: lane.laneId,
        branch: worktree.branch,
        head: worktree.head,
        dirty: contents === null ? null : contents.changed.length > 0,
        contents,
        unpushed: unpushed === null ? null : Number(unpushed.trim()),
      });
    }
  }
  return { status: 'ok', items };
}
