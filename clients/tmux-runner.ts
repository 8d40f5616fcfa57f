import { TMUX_OPTIONS } from '../specs/markers.js';
import { armLaunchClaim } from '../store/ledger-file.js';
import { clientEnvironment, type StepResult } from './client-context.js';
import { type CommandResult, firstLine, runCommand } from './run-command.js';
import { exactSession, type TmuxTarget } from './tmux-target.js';

/** What bounds one tmux call: its timeout, and the signal that cancels it. */
export interface TmuxCallOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * One argument as tmux reads it back exactly: tmux splits commands at any argument that ends in
 * `;`, and reads a trailing `\;` as a literal `;` (dropping one backslash), so a trailing `;`
 * gets one backslash before it.
 */
function encodeTmuxArgument(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

/** The socket selection of a target: `-S PATH` wins over `-L NAME`; neither is the default. */
function socketFlags(target: TmuxTarget): string[] {
  if (target.socketPath) return ['-S', target.socketPath];
  if (target.socketName) return ['-L', target.socketName];
  return [];
}

/**
 * The one way helios-recover runs tmux. `commands` run in one client call on `target`'s server,
 * joined by real `;` separators, each argument encoded: commands are built from typed parts,
 * never by joining strings, so no value can end a command or start another. The client runs in
 * the target's environment (the workspace config's, minus inherited markers), never in this
 * process's: `TMUX_TMPDIR` moves the socket of `-L NAME`, so every call of a run must use the
 * same one. A timeout or abort kills the client and is a `failed` result, never a throw.
 */
export function runTmux(
  target: TmuxTarget,
  commands: readonly (readonly string[])[],
  options: TmuxCallOptions,
): Promise<CommandResult> {
  const args = commands.flatMap((command, i) => [
    ...(i === 0 ? [] : [';']),
    ...command.map(encodeTmuxArgument),
  ]);
  return runCommand(target.command ?? 'tmux', [...socketFlags(target), ...args], {
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    env: clientEnvironment(target.env),
  });
}

/** A tmux call as a step: exit 0 is `success`; else its first line of stderr, or the exit code. */
export function tmuxStep(result: CommandResult, success: string): StepResult {
  if (result.status === 'failed') return { ok: false, reason: result.reason };
  if (result.exitCode === 0) return { ok: true, message: success };
  return { ok: false, reason: firstLine(result.stderr) || `tmux exited ${result.exitCode}` };
}

/**
 * Who a tmux session belongs to (`@helios-*` options): the workspace instance and the checkpoint
 * session, and the incarnation it is bound to. Without an incarnation the session is marked as
 * ours but not bound (an adopted session: binding is recovery's job).
 */
export interface SessionTags {
  readonly workspaceId: string;
  readonly instanceId: string;
  readonly sessionId: string;
  readonly incarnation?: string | undefined;
}

/** The one marker writer: the `set-option` commands that tag session `name` with `tags`. */
export function tagCommands(name: string, tags: SessionTags): string[][] {
  const target = exactSession(name);
  const set = (option: string, value: string) => ['set-option', '-t', target, option, value];
  return [
    set(TMUX_OPTIONS.workspace, tags.workspaceId),
    set(TMUX_OPTIONS.instance, tags.instanceId),
    set(TMUX_OPTIONS.session, tags.sessionId),
    ...(tags.incarnation === undefined ? [] : [set(TMUX_OPTIONS.incarnation, tags.incarnation)]),
  ];
}

/**
 * Batching is what makes restoring hundreds of sessions fast, but a tmux client refuses a
 * command line over its message size (16 KiB: "command too long"): batches are cut by size.
 */
const BATCH_MAX_SESSIONS = 64;
const BATCH_MAX_BYTES = 12_000;

/** What tmux commands take of a client's message (each argument with its framing). */
export function commandsSize(commands: readonly (readonly string[])[]): number {
  return commands.flat().reduce((sum, arg) => sum + Buffer.byteLength(arg) + 4, 8);
}

/** Splits requests into batches whose tmux command lines stay under the size limit. */
export function batchBySize<T>(items: readonly T[], sizeOf: (item: T) => number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (
      current.length > 0 &&
      (current.length >= BATCH_MAX_SESSIONS || bytes + size > BATCH_MAX_BYTES)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Arms the launcher a pane command runs (`/bin/sh <launch>/<id>.sh`), if it runs one. */
export async function armLauncherOf(command: readonly string[]): Promise<void> {
  const script = command.at(-1);
  if (command[0] === '/bin/sh' && script?.endsWith('.sh')) await armLaunchClaim(script);
}
