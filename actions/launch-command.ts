import { PLAIN_SHELL_WORD, shellQuote } from '../specs/shell-quoting.js';
import { join } from 'node:path';
import type { SessionEntrySpec } from '../specs/checkpoint-spec.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { stripTerminalQueries } from '../specs/terminal-text.js';
import { ensurePrivateSubdir, privateTempDir } from '../store/private-dir.js';
import { environmentalReason } from '../store/environmental-error.js';

/**
 * Whether a tmux pane needs the launcher script: to replay scrollback, or because a one-word
 * command would be re-split by `sh -c`. Otherwise tmux runs the shell command's argv directly
 * (one exec per session instead of two: what makes restoring hundreds of sessions fast).
 */
export function needsLauncher(session: SessionEntrySpec): boolean {
  if (session.scrollback.length > 0) return true;
  const [first] = session.shellCommand;
  return session.shellCommand.length === 1 && !PLAIN_SHELL_WORD.test(first ?? '');
}

/**
 * Writes `<stateDir>/launch/<sessionId>.sh`: prints the saved scrollback once (terminal queries
 * stripped, colours kept; the replay file deletes itself) then execs the checkpoint's shell
 * command. zellij takes a default shell as a single path, so both backends start this script.
 * Files are written under fresh names and renamed into place, so a planted symlink is replaced,
 * never followed; a `launch/` that is a symlink is refused. When the state dir cannot be
 * written (full, read-only) the launcher goes to a private temp dir instead.
 */
export async function writeLaunchScript(
  stateDir: string,
  session: SessionEntrySpec,
  exports: Record<string, string> = {},
): Promise<string> {
  try {
    return await writeLauncherIn(join(stateDir, 'launch'), session, exports);
  } catch (error) {
    if (environmentalReason(error) === null) throw error;
    return writeLauncherIn(await privateTempDir(), session, exports, true);
  }
}

async function writeLauncherIn(
  dir: string,
  session: SessionEntrySpec,
  exports: Record<string, string>,
  /** A launcher in the temp fallback removes itself (and its dir, once empty) as it execs. */
  removeAfterUse = false,
): Promise<string> {
  await ensurePrivateSubdir(dir);
  const lines = ['#!/bin/sh', `# helios-recover launcher for session ${session.sessionId}`];
  // The pane's environment, set here rather than given to the multiplexer client: variables
  // such as XDG_RUNTIME_DIR or TMPDIR would move the client's own socket dir.
  for (const [key, value] of Object.entries(exports))
    lines.push(`export ${key}=${shellQuote(value)}`);
  if (session.scrollback.length > 0) {
    const replay = join(dir, `${session.sessionId}.scrollback`);
    await writeFileAtomic(replay, stripTerminalQueries(session.scrollback), 0o600, false);
    lines.push(
      `if [ -f ${shellQuote(replay)} ]; then cat -- ${shellQuote(replay)}; rm -f -- ${shellQuote(replay)}; fi`,
    );
  }
  const script = join(dir, `${session.sessionId}.sh`);
  // sh has the script open: removing its name does not stop the lines still to be read.
  if (removeAfterUse)
    lines.push(`rm -f -- ${shellQuote(script)}; rmdir -- ${shellQuote(dir)} 2>/dev/null`);
  lines.push(`exec ${session.shellCommand.map(shellQuote).join(' ')}`);
  await writeFileAtomic(script, `${lines.join('\n')}\n`, 0o700, false);
  return script;
}

const SHELLS = new Set([
  'sh',
  'bash',
  'zsh',
  'fish',
  'dash',
  'ksh',
  'mksh',
  'tcsh',
  'csh',
  'ash',
  'nu',
  'elvish',
  'xonsh',
]);

/** Whether a command is an interactive shell (safe mode re-runs nothing else). */
export function isShellCommand(command: readonly string[]): boolean {
  const name = (command[0] ?? '').split('/').pop() ?? '';
  return SHELLS.has(name.replace(/^-/, ''));
}
