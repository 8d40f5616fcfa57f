import { type CommandResult, runCommand } from './run-command.js';

export interface GitOptions {
  readonly timeoutMs: number;
  /** The environment helios-recover runs in (from the workspace config, never read here). */
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `git -C dir ...args`: without optional locks (reading a worktree's state never blocks
 * the user's own git or leaves an index.lock behind) and in the C locale (its output is parsed).
 * The one way helios-recover talks to git.
 */
export function runGit(
  dir: string,
  args: readonly string[],
  options: GitOptions,
): Promise<CommandResult> {
  return runCommand('git', ['-C', dir, ...args], {
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    env: { ...options.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
  });
}
