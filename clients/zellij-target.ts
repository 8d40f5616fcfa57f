import { setTimeout as sleep } from 'node:timers/promises';
import { clientEnvironment } from './client-context.js';
import { type CommandResult, runCommand } from './run-command.js';
import { zellijSocketDir } from './parse-zellij-sessions.js';
import type { ProcessInfo } from './proc-table.js';

/** How to reach zellij: the executable and the environment (socket dir variables) it sees. */
export interface ZellijTarget {
  /** `zellij` on the PATH of `env` by default. */
  readonly command?: string | undefined;
  /** The workspace config's environment (a socket view's, for a view): never this process's. */
  readonly env: NodeJS.ProcessEnv;
}

function zellijCommand(target: ZellijTarget): string {
  return target.command ?? 'zellij';
}

/** What bounds one zellij call, and what it runs with beyond the target's environment. */
export interface ZellijCallOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Set on top of the target's environment (the launcher as `SHELL` for a new session). */
  readonly extraEnv?: Record<string, string> | undefined;
  readonly cwd?: string | undefined;
}

/**
 * The one way helios-recover runs zellij: `args` in the target's environment minus inherited
 * markers and minus what would make the client act inside the session we run in, never in this
 * process's. A timeout or abort kills the client and is a `failed` result, never a throw.
 */
export function runZellij(
  target: ZellijTarget,
  args: readonly string[],
  options: ZellijCallOptions,
): Promise<CommandResult> {
  return runCommand(zellijCommand(target), args, {
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    env: { ...clientEnvironment(target.env), ...options.extraEnv },
    cwd: options.cwd,
  });
}

/**
 * The server process of session `name`: zellij servers run as `zellij --server <sockdir>/<name>`
 * (newer releases add a version folder under the socket dir).
 */
export function findZellijServer(
  processes: readonly ProcessInfo[],
  target: ZellijTarget,
  name: string,
): ProcessInfo | null {
  const socketDir = zellijSocketDir(target.env, process.getuid?.() ?? 0);
  return (
    processes.find((info) => {
      const at = info.argv.indexOf('--server');
      const socket = at >= 0 ? info.argv[at + 1] : undefined;
      return (
        socket !== undefined && socket.startsWith(`${socketDir}/`) && socket.endsWith(`/${name}`)
      );
    }) ?? null
  );
}

/** The first pane process of a server: its oldest child. */
export function findPaneProcess(
  processes: readonly ProcessInfo[],
  server: ProcessInfo,
): ProcessInfo | null {
  const children = processes
    .filter((info) => info.ppid === server.pid)
    .sort((a, b) => a.startTime - b.startTime || a.pid - b.pid);
  return children[0] ?? null;
}

/** The zellij releases this build is tested against (the contract suite, real binary). */
const SUPPORTED_ZELLIJ = { min: [0, 44, 0], below: [0, 46, 0], text: '0.44.0 to 0.45.x' };

const versionChecks = new Map<string, Promise<string | null>>();

const atLeast = (v: readonly number[], w: readonly number[]) => {
  for (let i = 0; i < 3; i += 1) if (v[i] !== w[i]) return (v[i] ?? 0) > (w[i] ?? 0);
  return true;
};

/**
 * Reads `zellij --version` once per run (per binary): null when supported, else one line
 * naming the version and the supported range. Not found or hung is said the same way.
 */
export function checkZellijVersion(
  target: ZellijTarget,
  timeoutMs: number,
): Promise<string | null> {
  const command = zellijCommand(target);
  let check = versionChecks.get(command);
  if (!check) {
    check = (async () => {
      const result = await runZellij(target, ['--version'], { timeoutMs });
      if (result.status === 'failed') return result.reason;
      const match = /(\d+)\.(\d+)\.(\d+)/.exec(result.stdout);
      if (result.exitCode !== 0 || !match) return `${command} --version said nothing usable`;
      const version = [Number(match[1]), Number(match[2]), Number(match[3])];
      if (atLeast(version, SUPPORTED_ZELLIJ.min) && !atLeast(version, SUPPORTED_ZELLIJ.below))
        return null;
      return `zellij ${version.join('.')} is not supported: helios-recover supports zellij ${SUPPORTED_ZELLIJ.text}`;
    })();
    versionChecks.set(command, check);
    // A failure to run it is not remembered: zellij may be installed or resumed meanwhile.
    void check.then((reason) => {
      if (reason !== null && !reason.startsWith('zellij ')) versionChecks.delete(command);
    });
  }
  return check;
}

/** How often a question a busy server seemed not to hear is asked. */
const ACTION_ATTEMPTS = 5;

/**
 * Runs `zellij --session NAME action ARGS`. A busy server that answers a client's probe late
 * is taken as absent ("There is no active session!", "Session ... not found"): then the same
 * question is asked again, a few times; so it is while `answered` says an answer is not whole.
 */
export async function runSessionAction(
  target: ZellijTarget,
  name: string,
  args: readonly string[],
  timeoutMs: number,
  signal?: AbortSignal,
  /** Whether an exit-0 answer is whole (a server still settling may list nothing yet). */
  answered: (stdout: string) => boolean = () => true,
): Promise<CommandResult> {
  for (let attempt = 1; ; attempt += 1) {
    const result = await runZellij(target, ['--session', name, 'action', ...args], {
      timeoutMs,
      signal,
    });
    const missed =
      result.status === 'exited' &&
      (/There is no active session|^Session '.*' not found/m.test(result.stdout + result.stderr) ||
        (result.exitCode === 0 && !answered(result.stdout)));
    if (!missed || attempt === ACTION_ATTEMPTS) return result;
    await sleep(50 * attempt);
  }
}
