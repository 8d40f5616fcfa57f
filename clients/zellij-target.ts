import { runCommand } from './run-command.js';
import { zellijSocketDir } from './parse-zellij-sessions.js';
import type { ProcessInfo } from './proc-table.js';

/** How to reach zellij: the executable and the environment (socket dir variables) it sees. */
export interface ZellijTarget {
  /** `zellij` on PATH by default. */
  readonly command?: string | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
}

export function zellijCommand(target: ZellijTarget): string {
  return target.command ?? 'zellij';
}

export function zellijEnv(target: ZellijTarget): NodeJS.ProcessEnv {
  return target.env ?? process.env;
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
  const socketDir = zellijSocketDir(zellijEnv(target), process.getuid?.() ?? 0);
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
      const result = await runCommand(command, ['--version'], {
        timeoutMs,
        env: zellijEnv(target),
      });
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
