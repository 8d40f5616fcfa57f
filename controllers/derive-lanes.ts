import { observeWorktrees } from '../observers/observe-worktrees.js';
import type { LaneEntrySpec } from '../specs/checkpoint-spec.js';

type LaneDraft = Omit<LaneEntrySpec, 'checksum'>;

const LANE_PATH = /^(\/.*)\/\.helios-worktrees\/([A-Za-z0-9][A-Za-z0-9_.@+-]*)(?:\/|$)/;

/** The lane a directory belongs to: `<repository>/.helios-worktrees/<laneId>[/...]`. */
export function laneOfPath(path: string): { repository: string; laneId: string } | null {
  const match = LANE_PATH.exec(path);
  return match ? { repository: match[1]!, laneId: match[2]! } : null;
}

/**
 * The lanes of a workspace: the worktrees under `<repo>/.helios-worktrees/` of the given
 * repositories and of the repositories the session cwds point into. Only worktrees git lists
 * (with a branch) become lanes. Returns the warnings of repositories git could not read.
 */
export async function deriveLanes(
  repositories: readonly string[],
  cwds: readonly string[],
  timeoutMs: number,
): Promise<{ lanes: LaneDraft[]; warnings: string[] }> {
  const repos = new Set(repositories);
  for (const cwd of cwds) {
    const lane = laneOfPath(cwd);
    if (lane) repos.add(lane.repository);
  }
  const lanes: LaneDraft[] = [];
  const warnings: string[] = [];
  for (const repository of [...repos].sort()) {
    const worktrees = await observeWorktrees(repository, { timeoutMs });
    if (worktrees.status === 'unavailable') {
      warnings.push(`lanes of ${repository} not captured: ${worktrees.reason}`);
      continue;
    }
    for (const worktree of worktrees.items) {
      const lane = laneOfPath(worktree.path);
      if (!lane || lane.repository !== repository || worktree.branch === null) continue;
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
