import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { type GitOptions, runGit } from './git.js';
import { firstLine } from './run-command.js';

/** Everything removing a worktree would lose, as paths relative to its top directory. */
export interface WorktreeContents {
  /** Changed tracked files and untracked files (untracked directories listed file by file). */
  readonly changed: readonly string[];
  /** git-ignored files, and ignored directories as one `dir/` entry each. */
  readonly ignored: readonly string[];
  /** Files on disk whose skip-worktree bit hides their edits from git status. */
  readonly skipWorktree: readonly string[];
  /** Files on disk marked assume-unchanged: git status does not look at them either. */
  readonly assumeUnchanged: readonly string[];
}

/*
 * Whatever the repository's configuration says: untracked files are listed one by one
 * (`status.showUntrackedFiles=no` would hide them, and `git worktree remove` would delete them),
 * submodules are looked into, and no fsmonitor hook or untracked cache answers for git.
 */
const STATUS = [
  '-c',
  'status.showUntrackedFiles=all',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.untrackedCache=false',
  'status',
  '--porcelain',
  '-z',
  '--untracked-files=all',
  '--ignored=matching',
  '--ignore-submodules=none',
];

/** Parses `git status --porcelain -z`: a rename or copy carries its source as a second field. */
export function parseStatusZ(stdout: string): { changed: string[]; ignored: string[] } {
  const changed: string[] = [];
  const ignored: string[] = [];
  const fields = stdout.split('\0');
  for (let i = 0; i < fields.length; i += 1) {
    const field = fields[i]!;
    if (field.length < 4) continue;
    const [code, path] = [field.slice(0, 2), field.slice(3)];
    if (code === '!!') ignored.push(path);
    else changed.push(path);
    if (code[0] === 'R' || code[0] === 'C') i += 1;
  }
  return { changed, ignored };
}

/**
 * Parses `git ls-files -v -z`: tag `S` is skip-worktree, a lower-case tag assume-unchanged
 * (`s` both: listed as skip-worktree).
 */
export function parseHiddenEntries(stdout: string): {
  skipWorktree: string[];
  assumeUnchanged: string[];
} {
  const skipWorktree: string[] = [];
  const assumeUnchanged: string[] = [];
  for (const field of stdout.split('\0')) {
    if (field.length < 3 || field[1] !== ' ') continue;
    const [tag, path] = [field[0]!, field.slice(2)];
    if (tag === 'S' || tag === 's') skipWorktree.push(path);
    else if (tag !== tag.toUpperCase()) assumeUnchanged.push(path);
  }
  return { skipWorktree, assumeUnchanged };
}

const onDisk = async (top: string, paths: readonly string[]) => {
  const present = await Promise.all(
    paths.map((path) =>
      lstat(join(top, path)).then(
        () => true,
        () => false,
      ),
    ),
  );
  return paths.filter((_, i) => present[i]);
};

/**
 * Reads what removing the worktree at `top` would lose. A skip-worktree or assume-unchanged
 * entry counts only while its file is on disk (a sparse checkout leaves the others out: nothing
 * of theirs is lost). A failing git call is a reason, never an empty list.
 */
export async function readWorktreeContents(
  top: string,
  options: GitOptions,
): Promise<{ ok: true; contents: WorktreeContents } | { ok: false; reason: string }> {
  const [status, listed] = await Promise.all([
    runGit(top, STATUS, options),
    runGit(top, ['-c', 'core.fsmonitor=false', 'ls-files', '-v', '-z'], options),
  ]);
  for (const [what, result] of [
    ['git status', status],
    ['git ls-files', listed],
  ] as const) {
    if (result.status === 'failed') return { ok: false, reason: `${what}: ${result.reason}` };
    if (result.exitCode !== 0)
      return {
        ok: false,
        reason: `${what} exited ${result.exitCode}: ${firstLine(result.stderr) || 'no output'}`,
      };
  }
  const { changed, ignored } = parseStatusZ(status.status === 'exited' ? status.stdout : '');
  const hidden = parseHiddenEntries(listed.status === 'exited' ? listed.stdout : '');
  return {
    ok: true,
    contents: {
      changed,
      ignored,
      skipWorktree: await onDisk(top, hidden.skipWorktree),
      assumeUnchanged: await onDisk(top, hidden.assumeUnchanged),
    },
  };
}
