/**
 * Where lanes live: `<repository>/.helios-worktrees/<laneId>`. One rule for the lane observer
 * (a worktree is a lane) and for imports (a session's cwd lies in a lane). Any directory name is
 * a lane here, so an abandoned worktree is always seen; whether its name can be a checkpoint
 * `laneId` is the checkpoint schema's question.
 */
const LANE_PATH = /^(\/.*)\/\.helios-worktrees\/([^/]+)(\/.*)?$/;

export interface LanePath {
  readonly repository: string;
  readonly laneId: string;
  /** The worktree itself: `<repository>/.helios-worktrees/<laneId>`. */
  readonly worktreePath: string;
}

/** The lane a path is, or lies inside; null when it is in no lane. */
export function laneOfPath(path: string): LanePath | null {
  const match = LANE_PATH.exec(path);
  if (!match) return null;
  const [, repository, laneId] = match as unknown as [string, string, string];
  return { repository, laneId, worktreePath: `${repository}/.helios-worktrees/${laneId}` };
}
