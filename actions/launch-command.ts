import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionEntrySpec } from '../specs/checkpoint-spec.js';
import { shellMarkers } from '../specs/markers.js';

/** The checkpoint env plus the markers (markers win: they prove ownership). */
export function sessionEnvironment(
  owner: { readonly workspaceId: string; readonly instanceId: string },
  session: SessionEntrySpec,
): Record<string, string> {
  return {
    ...session.environment,
    ...shellMarkers(owner.workspaceId, owner.instanceId, session.sessionId),
  };
}

/** POSIX shell single-quoting. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Whether a tmux pane needs the launcher script: to replay scrollback, or because a one-word
 * command would be re-split by `sh -c`. Otherwise tmux runs the shell command's argv directly
 * (one exec per session instead of two: what makes restoring hundreds of sessions fast).
 */
export function needsLauncher(session: SessionEntrySpec): boolean {
  if (session.scrollback.length > 0) return true;
  const [first] = session.shellCommand;
  return session.shellCommand.length === 1 && !/^[A-Za-z0-9_@%+=:,./-]+$/.test(first ?? '');
}

/**
 * Writes `<stateDir>/launch/<sessionId>.sh`: prints the saved scrollback once (best effort, the
 * replay file deletes itself) then execs the checkpoint's shell command. zellij takes a default
 * shell as a single path, so both backends start this script.
 */
export async function writeLaunchScript(
  stateDir: string,
  session: SessionEntrySpec,
): Promise<string> {
  const dir = join(stateDir, 'launch');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lines = ['#!/bin/sh', `# helios-recover launcher for session ${session.sessionId}`];
  if (session.scrollback.length > 0) {
    const replay = join(dir, `${session.sessionId}.scrollback`);
    await writeFile(replay, session.scrollback, { mode: 0o600 });
    lines.push(
      `if [ -f ${shellQuote(replay)} ]; then cat -- ${shellQuote(replay)}; rm -f -- ${shellQuote(replay)}; fi`,
    );
  }
  lines.push(`exec ${session.shellCommand.map(shellQuote).join(' ')}`);
  const script = join(dir, `${session.sessionId}.sh`);
  await writeFile(script, `${lines.join('\n')}\n`, { mode: 0o700 });
  return script;
}

/** The environment of a multiplexer client we start: ours, minus any inherited markers. */
export function clientEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(base).filter(([key]) => !key.startsWith('HELIOS_')));
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
