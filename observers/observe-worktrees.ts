import { stat } from 'node:fs/promises';
import type { Observation, WorktreeEntry } from '../specs/actual-state.js';
import { firstLine } from '../clients/run-command.js';
import { type GitOptions, runGit } from '../clients/git.js';

/** Parses `git worktree list --porcelain`: records separated by blank lines. */
export function parseWorktreePorcelain(stdout: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  for (const block of stdout.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((line) => line.length > 0);
    const path = lines.find((line) => line.startsWith('worktree '))?.slice('worktree '.length);
    if (!path) continue;
    const value = (label: string) =>
      lines.find((line) => line === label || line.startsWith(`${label} `));
    const branchRef = value('branch')?.slice('branch '.length) ?? null;
    entries.push({
      path,
      head: value('HEAD')?.slice('HEAD '.length) ?? null,
      branch: branchRef ? branchRef.replace(/^refs\/heads\//, '') : null,
      bare: value('bare') !== undefined,
      detached: value('detached') !== undefined,
      locked: value('locked') !== undefined,
      prunable: value('prunable') !== undefined,
    });
  }
  return entries;
}

/**
 * The worktrees of one repository. A repository directory that no longer exists (or is no
 * longer a git repository) is seen clearly: no worktrees. A timeout or other git failure is
 * `unavailable`.
 */
export async function observeWorktrees(
  repository: string,
  options: GitOptions,
  signal?: AbortSignal,
): Promise<Observation<WorktreeEntry>> {
  const exists = await stat(repository).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!exists) return { status: 'ok', items: [] };
  const result = await runGit(repository, ['worktree', 'list', '--porcelain'], {
    ...options,
    signal,
  });
  if (result.status === 'failed') return { status: 'unavailable', reason: result.reason };
  if (result.exitCode === 0) return { status: 'ok', items: parseWorktreePorcelain(result.stdout) };
  if (/not a git repository/i.test(result.stderr)) return { status: 'ok', items: [] };
  return {
    status: 'unavailable',
    reason: `git worktree list in ${repository} exited ${result.exitCode}: ${firstLine(result.stderr)}`,
  };
}
