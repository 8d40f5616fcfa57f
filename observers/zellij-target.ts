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
