import type { GitOptions } from '../../clients/git.js';
import { laneOfPath } from '../../specs/lane-path.js';
import { observeWorktrees } from '../../observers/observe-worktrees.js';
import { LaneEntrySpec } from '../../specs/checkpoint-spec.js';

type LaneDraft = Omit<LaneEntrySpec, 'checksum'>;

/**
 * The lanes of a workspace: the worktrees under `<repo>/.helios-worktrees/` of the given
 * repositories and of the repositories the session cwds point into. Only worktrees git lists
 * (with a branch) become lanes. Returns the warnings of repositories git could not read.
 */
export async function deriveLanes(
  repositories: readonly string[],
  cwds: readonly string[],
  git: GitOptions,
): Promise<{ lanes: LaneDraft[]; warnings: string[] }> {
  const repos = new Set(repositories);
  for (const cwd of cwds) {
    const lane = laneOfPath(cwd);
    if (lane) repos.add(lane.repository);
  }
  const lanes: LaneDraft[] = [];
  const warnings: string[] = [];
  for (const repository of [...repos].sort()) {
    const worktrees = await observeWorktrees(repository, git);
    if (worktrees.status === 'unavailable') {
      warnings.push(`lanes of ${repository} not captured: ${worktrees.reason}`);
      continue;
    }
    for (const worktree of worktrees.items) {
      const lane = laneOfPath(worktree.path);
      if (!lane || lane.repository !== repository || worktree.branch === null) continue;
      if (lane.worktreePath !== worktree.path) continue;
      if (!LaneEntrySpec.shape.laneId.safeParse(lane.laneId).success) {
        warnings.push(`worktree ${worktree.path} not captured as a lane: its name is no lane id`);
        continue;
      }
      lanes.push({
        laneId: lane.laneId,
        repository,
        worktreePath: worktree.path,
        branch: worktree.branch,
      });
    }
  }
  return { lanes: lanes.sort((a, b) => (a.laneId < b.laneId ? -1 : 1)), warnings };
}
