import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { readlink } from 'node:fs/promises';

/** One process as /proc shows it. `startTime` is /proc/PID/stat field 22 (clock ticks). */
export interface ProcessInfo {
  readonly pid: number;
  /** The kernel's command name (`tmux: server` for a tmux server). */
  readonly comm: string;
  readonly ppid: number;
  readonly pgid: number;
  /** The session id: equal to the pid for a session leader (a terminal's PTY leader). */
  readonly sid: number;
  /** The foreground process group of its terminal (field 8; -1 without one). */
  readonly tpgid?: number;
  readonly startTime: number;
  readonly argv: readonly string[];
}

/** Parses /proc/PID/stat text; the comm field may contain spaces and parentheses. */
export function parseProcStat(text: string): {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  tpgid: number;
  startTime: number;
} | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number.parseInt(text, 10);
  const comm = text.slice(open + 1, close);
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state): field N is rest[N - 3].
  const state = rest[0] ?? '?';
  const ppid = Number(rest[1]);
  const pgid = Number(rest[2]);
  const sid = Number(rest[3]);
  const tpgid = Number(rest[5]);
  const startTime = Number(rest[19]);
  if (![pid, ppid, pgid, sid, tpgid, startTime].every(Number.isFinite)) return null;
  return { pid, comm, state, ppid, pgid, sid, tpgid, startTime };
}

/** A live process from its stat and cmdline texts; null for a zombie (dead, not reaped). */
function toProcessInfo(stat: string, cmdline: string): ProcessInfo | null {
  const parsed = parseProcStat(stat);
  if (!parsed || parsed.state === 'Z' || parsed.state === 'X') return null;
  const { state: _state, ...info } = parsed;
  return {
    ...info,
    argv: cmdline.split('\0').filter((arg, i, all) => arg.length > 0 || i < all.length - 1),
  };
}

/** Reads one process; null when it is gone, a zombie (dead, not yet reaped) or unreadable. */
export async function readProcess(pid: number): Promise<ProcessInfo | null> {
  return readProcessSync(pid);
}

/**
 * One process, read synchronously: /proc files are tiny and in memory, and a scan of hundreds
 * of processes through the thread pool is several times slower than reading them in a loop (a
 * checkpoint of 600 panes: 390 ms through the pool). The async readers here read the same way.
 */
export function readProcessSync(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return toProcessInfo(stat, readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return null;
  }
}

/** pid 1, this process and all its ancestors (looked up with `lookup`): never signalled. */
export function protectedPids(
  lookup: (pid: number) => ProcessInfo | null | undefined,
): Set<number> {
  const pids = new Set<number>([1, process.pid]);
  for (let pid = process.ppid; pid > 1 && !pids.has(pid); pid = lookup(pid)?.ppid ?? 0)
    pids.add(pid);
  return pids;
}

/** Every live process currently visible in /proc. */
export async function readProcessTable(): Promise<ProcessInfo[]> {
  const pids = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
  return pids.map(readProcessSync).filter((info): info is ProcessInfo => info !== null);
}

/**
 * The owner of a process: its real uid when real, effective and saved uids agree, else -1 (a
 * set-uid process belongs to nobody we may signal); null when it is gone. Read from
 * /proc/PID/status, not the /proc entry's owner, which is root for non-dumpable processes.
 */
export function readProcessUidSync(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const line = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(status);
    const gids = /^Gid:\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(status);
    if (!line) return null;
    const [real, effective, saved] = line.slice(1).map(Number);
    const [gReal, gEffective, gSaved] = (gids?.slice(1) ?? ['0', '0', '0']).map(Number);
    const setId = real !== effective || real !== saved || gReal !== gEffective || gReal !== gSaved;
    return setId ? -1 : real!;
  } catch {
    return null;
  }
}

/** The environment of a process, read synchronously (see readProcessSync), or null. */
export function readProcessEnvironSync(pid: number): Record<string, string> | null {
  try {
    return parseEnviron(readFileSync(`/proc/${pid}/environ`, 'utf8'));
  } catch {
    return null;
  }
}

function parseEnviron(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text.split('\0')) {
    const eq = pair.indexOf('=');
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** The environment of a process, or null when it cannot be read (gone, or not ours). */
export async function readProcessEnviron(pid: number): Promise<Record<string, string> | null> {
  return readProcessEnvironSync(pid);
}

/** The current working directory of a process, or null. */
export async function readProcessCwd(pid: number): Promise<string | null> {
  return readlink(`/proc/${pid}/cwd`).catch(() => null);
}

/** The basename of /proc/PID/exe (what the process runs, whatever its argv says), or null. */
export function readExecutableName(pid: number): string | null {
  try {
    return (
      readlinkSync(`/proc/${pid}/exe`)
        .replace(/ \(deleted\)$/, '')
        .split('/')
        .pop() ?? null
    );
  } catch {
    return null;
  }
}

/**
 * The argv of what runs in the foreground of `process`'s terminal (the leader of its terminal's
 * foreground process group), or null when that is the process itself (its shell at a prompt),
 * nothing, or unreadable.
 */
export async function readForegroundArgv(process: ProcessInfo): Promise<readonly string[] | null> {
  const { tpgid } = process;
  if (tpgid === undefined || tpgid <= 0 || tpgid === process.pid) return null;
  const leader = await readProcess(tpgid);
  return leader && leader.argv.length > 0 ? leader.argv : null;
}

/** Kernel waits of a process blocked for input: a read of its terminal, or a poll on it. */
const INPUT_WAITS =
  /^(wait_woken|n_tty_read|poll_schedule_timeout|do_select|core_sys_select|do_sys_poll|ep_poll|do_epoll_wait)/;

/**
 * Whether `pid` waits for its user: asleep (S) in a read or a poll, its standard input a
 * terminal whose foreground process group is its own. A pane's program in this state has
 * started and is alive until someone types (a shell at its prompt, an editor, a pager).
 */
export function isWaitingForInput(pid: number): boolean {
  try {
    const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    if (stat?.state !== 'S' || stat.tpgid !== stat.pgid) return false;
    if (!INPUT_WAITS.test(readFileSync(`/proc/${pid}/wchan`, 'utf8'))) return false;
    return /^\/dev\/(pts\/\d+|tty\w*)$/.test(readlinkSync(`/proc/${pid}/fd/0`));
  } catch {
    return false; // gone, or unreadable: not shown to wait
  }
}
