import { link, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  MAX_SOCKET_PATH_BYTES,
  zellijSocketDir,
  zellijSocketPath,
} from './parse-zellij-sessions.js';
import { parseProcStat, type ProcessInfo, readProcessTable } from './proc-table.js';
import type { ZellijTarget } from './zellij-target.js';

/*
 * Every zellij 0.45.1 client that names a session (list-sessions, attach, kill-session,
 * delete-session, `--session NAME action`) first walks the socket dir and asks each server for a
 * `Connected` reply, with no timeout: one stopped server hangs them all. A socket view is a
 * private socket dir holding hard links to the sockets of the healthy servers only (zellij skips
 * anything that is not a socket, so symlinks would be ignored); a client pointed at it
 * (`ZELLIJ_SOCKET_DIR`) reaches every healthy server and never the hung one.
 */

/** A zellij server that cannot answer: its session name, pid and why. */
export interface HungServer {
  readonly name: string;
  readonly pid: number | null;
  readonly reason: string;
}

const uid = () => process.getuid?.() ?? 0;

/** The version folder zellij keeps its sockets in (`<sockdir>/contract_version_1`). */
export function socketFolder(target: ZellijTarget): string {
  return dirname(zellijSocketPath(target.env, uid(), 'x'));
}

/** The servers of this socket dir by session name: `zellij --server <sockdir>/.../<name>`. */
export function zellijServersByName(
  processes: readonly ProcessInfo[],
  target: ZellijTarget,
): Map<string, ProcessInfo> {
  const base = `${zellijSocketDir(target.env, uid())}/`;
  const servers = new Map<string, ProcessInfo>();
  for (const info of processes) {
    const at = info.argv.indexOf('--server');
    const socket = at >= 0 ? info.argv[at + 1] : undefined;
    if (socket === undefined || !socket.startsWith(base)) continue;
    const name = socket.slice(socket.lastIndexOf('/') + 1);
    if (name && !servers.has(name)) servers.set(name, info);
  }
  return servers;
}

/** True when /proc says the process is stopped (`T`) or stopped by a tracer (`t`). */
async function isStopped(pid: number): Promise<boolean> {
  try {
    const state = parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'))?.state;
    return state === 'T' || state === 't';
  } catch {
    return false; // gone meanwhile: not hung
  }
}

export function stoppedReason(name: string, pid: number): string {
  return `the zellij server of session ${name} (pid ${pid}) is stopped, so zellij cannot ask it (resume it with \`kill -CONT ${pid}\`, or end it)`;
}

/** The servers of this socket dir that /proc shows stopped: known hung without asking. */
export async function findStoppedServers(
  target: ZellijTarget,
  processes?: readonly ProcessInfo[],
): Promise<HungServer[]> {
  const servers = zellijServersByName(processes ?? (await readProcessTable()), target);
  const hung: HungServer[] = [];
  await Promise.all(
    [...servers].map(async ([name, info]) => {
      if (await isStopped(info.pid))
        hung.push({ name, pid: info.pid, reason: stoppedReason(name, info.pid) });
    }),
  );
  return hung.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The socket names in the socket dir (whatever answers or not). */
export async function socketNames(target: ZellijTarget): Promise<string[]> {
  try {
    const entries = await readdir(socketFolder(target), { withFileTypes: true });
    return entries.filter((entry) => entry.isSocket()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

/** A target whose zellij clients see only some sockets, and the sockets it could not show. */
export interface SocketView {
  /** Only for running zellij: its socket dir is private (never for matching /proc argv). */
  readonly target: ZellijTarget;
  /** Sockets whose path in the view would be too long to connect to (107 bytes at most). */
  readonly unreachable: readonly string[];
}

const VIEW_PREFIX = '.hv-';

/**
 * Runs `use` with a target whose zellij clients see every socket but `hidden` (and only `only`,
 * when given). With nothing to hide it is the target itself. The view lives beside the real
 * socket folder (a hard link needs the same file system) and is removed when `use` settles.
 */
export async function withSocketView<T>(
  target: ZellijTarget,
  hidden: ReadonlySet<string>,
  use: (view: SocketView) => Promise<T>,
  only?: ReadonlySet<string>,
): Promise<T> {
  if (hidden.size === 0 && only === undefined) return use({ target, unreachable: [] });
  const folder = socketFolder(target);
  const base = dirname(folder);
  await mkdir(base, { recursive: true, mode: 0o700 });
  await sweepAbandonedViews(base);
  const root = await mkdtemp(join(base, `${VIEW_PREFIX}${process.pid}-`));
  try {
    const viewFolder = join(root, folder.slice(base.length + 1));
    await mkdir(viewFolder, { recursive: true, mode: 0o700 });
    const unreachable: string[] = [];
    for (const name of await socketNames(target)) {
      if (hidden.has(name) || (only !== undefined && !only.has(name))) continue;
      const path = join(viewFolder, name);
      if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) unreachable.push(name);
      else await link(join(folder, name), path).catch(() => undefined); // gone meanwhile
    }
    return await use({
      target: { ...target, env: { ...target.env, ZELLIJ_SOCKET_DIR: root } },
      unreachable,
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export function unreachableReason(name: string): string {
  return `zellij session ${name} cannot be asked apart from the hung server: its socket path would be too long in a private socket dir`;
}

/** Views left by a helios-recover process that died mid-call: its pid no longer runs. */
async function sweepAbandonedViews(base: string): Promise<void> {
  const names = await readdir(base).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.startsWith(VIEW_PREFIX))
      .map(async (name) => {
        const pid = Number.parseInt(name.slice(VIEW_PREFIX.length), 10);
        if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) return;
        await rm(join(base, name), { recursive: true, force: true });
      }),
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
