import { isInteractiveShell } from '../specs/program-restore.js';
import { shellAmong, shellQuote } from '../specs/shell-quoting.js';
import { join } from 'node:path';
import { claimOf, disarmLaunchClaim, ledgerDirOf } from '../store/ledger-file.js';
import type { SessionEntrySpec } from '../specs/checkpoint-spec.js';
import { paneId, windowsOf } from '../specs/session-windows.js';
import { PANE_MARKER } from '../specs/markers.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { stripTerminalQueries } from '../specs/terminal-text.js';
import { ensurePrivateSubdir, privateTempDir } from '../store/private-dir.js';
import { environmentalReason } from '../store/environmental-error.js';

/** Who starts a pane: the launcher records the process in this instance's ledger. */
export interface LaunchContext {
  readonly stateDir: string;
  readonly workspaceId: string;
  readonly instanceId: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Writes `<stateDir>/launch/<sessionId>.sh`, the program of the session's first pane, disarmed.
 * Run once as the pane we created (armed by the client right before), it claims its one-time
 * claim file (created exclusively: a second run cannot claim it), records itself in the ledger
 * (pid, start time, group, session, boot, the argv it execs: before it execs, so the pid and
 * start time are those of the program that follows), prints the
 * saved scrollback once (terminal queries stripped, colours kept; the replay file deletes
 * itself) and execs the checkpoint's command. Run again (zellij starts `$SHELL`, which is this
 * script, for every new pane; a terminal opened inside a pane may do the same), it records
 * nothing and execs the user's shell. Either way `SHELL` is the user's shell again, so what runs
 * inside starts a shell, not this script. Files are written under fresh names and renamed into
 * place, so a planted symlink is replaced, never followed; a `launch/` or `ledger/` that is a
 * symlink is refused. When the state dir cannot be written (full, read-only) the launcher goes
 * to a private temp dir and nothing can be recorded: what it starts is then never proven ours.
 */
export async function writeLaunchScript(
  ctx: LaunchContext,
  session: SessionEntrySpec,
  exports: Record<string, string> = {},
  pane: LaunchPane = firstLaunchPane(session),
): Promise<string> {
  try {
    await ensurePrivateSubdir(ledgerDirOf(ctx.stateDir));
    return await writeLauncherIn(join(ctx.stateDir, 'launch'), ctx, session, exports, pane);
  } catch (error) {
    if (environmentalReason(error) === null) throw error;
    return writeLauncherIn(await privateTempDir(), ctx, session, exports, pane, true);
  }
}

/** Which pane a launcher starts: its window and pane index, and what it replays. */
export interface LaunchPane {
  readonly windowIndex: number;
  readonly paneIndex: number;
  readonly scrollback: string;
  /** The session's first pane has the launcher `<sessionId>.sh`; another `<sessionId>~W.P.sh`. */
  readonly first: boolean;
  /** Variables of this pane beyond its session's. */
  readonly environment?: Readonly<Record<string, string>> | undefined;
}

/** The launcher of a session's first pane. */
export function firstLaunchPane(session: SessionEntrySpec): LaunchPane {
  const window = windowsOf(session)[0]!;
  const pane = window.panes[0]!;
  return {
    windowIndex: window.index,
    paneIndex: pane.index,
    scrollback: pane.scrollback,
    first: true,
    environment: pane.environment,
  };
}

/** The user's shell for a pane: the session's `SHELL` or ours, never a launcher. */
const paneShell = (ctx: LaunchContext, session: SessionEntrySpec, launchDir: string): string =>
  shellAmong([session.environment.SHELL, ctx.env.SHELL], launchDir);

/** The shell lines that record this process in the ledger (POSIX sh, builtins only). */
function recordLines(
  ctx: LaunchContext,
  session: SessionEntrySpec,
  pane: LaunchPane,
  argv: readonly string[],
): string[] {
  const tail = JSON.stringify({
    workspaceId: ctx.workspaceId,
    instanceId: ctx.instanceId,
    sessionId: session.sessionId,
    pane: pane.first ? '0' : paneId(pane.windowIndex, pane.paneIndex),
    role: 'shell',
    argv,
  }).slice(1, -1);
  const ledger = ledgerDirOf(ctx.stateDir);
  // /proc/$$/stat: after "(comm) " come field 3 (state), 4 ppid, 5 pgid, 6 sid ... 22 starttime;
  // split with IFS set for `read` alone (the session's env may export another IFS). The entry
  // is written 0600 in a subshell, so the pane keeps its own umask.
  const fields = Array.from({ length: 20 }, (_, i) => `h${i + 3}`).join(' ');
  return [
    '  read -r h_boot < /proc/sys/kernel/random/boot_id',
    '  read -r h_stat < /proc/$$/stat',
    `  IFS=' ' read -r ${fields} h_rest <<H_EOF`,
    '${h_stat##*) }',
    'H_EOF',
    `  (umask 077; printf '{"v":1,"pid":%s,"startTime":%s,"pgid":%s,"sid":%s,"bootId":"%s",%s}\\n' "$$" "$h22" "$h5" "$h6" "$h_boot" ${shellQuote(tail)} > ${shellQuote(ledger)}/"$$-$h22.json") 2>/dev/null`,
    `  unset h_boot h_stat h_rest ${fields}`,
  ];
}

async function writeLauncherIn(
  dir: string,
  ctx: LaunchContext,
  session: SessionEntrySpec,
  exports: Record<string, string>,
  pane: LaunchPane,
  /** A launcher in the temp fallback removes itself (and its dir, once empty) as it execs. */
  removeAfterUse = false,
): Promise<string> {
  await ensurePrivateSubdir(dir);
  const lines = ['#!/bin/sh', `# helios-recover launcher for session ${session.sessionId}`];
  // The pane's environment, set here rather than given to the multiplexer client: variables
  // such as XDG_RUNTIME_DIR or TMPDIR would move the client's own socket dir.
  // tmux gives a new pane the PATH of the client that made it, whatever `-e` says: the saved
  // PATH is set here.
  const path = pane.environment?.PATH ?? session.environment.PATH;
  const all = path === undefined || 'PATH' in exports ? exports : { ...exports, PATH: path };
  for (const [key, value] of Object.entries(all)) lines.push(`export ${key}=${shellQuote(value)}`);
  const userShell = paneShell(ctx, session, dir);
  const shell = shellQuote(userShell);
  lines.push(`export SHELL=${shell}`);
  // Which pane this is: verification and ownership read it per pane, on every multiplexer.
  lines.push(`export ${PANE_MARKER}=${paneId(pane.windowIndex, pane.paneIndex)}`);
  // The session's command is its first pane's; another pane runs it too only when it is a shell
  // (a split of an `npm run dev` session is the user's shell, never a second dev server).
  const argv =
    pane.first || isShellCommand(session.shellCommand) ? session.shellCommand : [userShell];
  const base = pane.first
    ? session.sessionId
    : `${session.sessionId}~${paneId(pane.windowIndex, pane.paneIndex)}`;
  const script = join(dir, `${base}.sh`);
  const claim = claimOf(script);
  // Written disarmed (a regular file replaces whatever was there): the multiplexer client arms
  // it right before it starts the pane (armLaunchClaim), never for a session that is live.
  await disarmLaunchClaim(script);
  // sh has the script open: removing its name does not stop the lines still to be read.
  const cleanup = removeAfterUse
    ? [
        `  rm -f -- ${shellQuote(script)} ${shellQuote(claim)}; rmdir -- ${shellQuote(dir)} 2>/dev/null`,
      ]
    : [];
  lines.push('set -C', `if { true > ${shellQuote(claim)}; } 2>/dev/null; then`, '  set +C');
  lines.push(...recordLines(ctx, session, pane, argv));
  if (pane.scrollback.length > 0) {
    const replay = join(dir, `${base}.scrollback`);
    await writeFileAtomic(
      replay,
      endOnCleanLine(stripTerminalQueries(pane.scrollback)),
      0o600,
      false,
    );
    lines.push(
      `  if [ -f ${shellQuote(replay)} ]; then cat -- ${shellQuote(replay)}; rm -f -- ${shellQuote(replay)}; fi`,
    );
  }
  lines.push(...cleanup, `  exec ${argv.map(shellQuote).join(' ')}`, 'fi', 'set +C');
  lines.push(...cleanup, `exec ${shell}`);
  await writeFileAtomic(script, `${lines.join('\n')}\n`, 0o700, false);
  return script;
}

/**
 * The replay ends on a line of its own with colours reset: saved scrollback usually ends with
 * the old prompt and no newline, and the new shell's prompt would join it on one line.
 */
const endOnCleanLine = (text: string): string => `${text.replace(/\r?\n$/, '')}\u001b[0m\r\n`;

/**
 * Whether a command is an interactive shell (safe mode re-runs nothing else, and only such a
 * session command is run again in a session's other panes): `sh -c LINE` is not one.
 */
export const isShellCommand = isInteractiveShell;
