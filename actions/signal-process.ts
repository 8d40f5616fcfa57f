import { setTimeout as sleep } from 'node:timers/promises';
import {
  protectedPids,
  readProcess,
  readProcessSync,
  readProcessTable,
  readProcessUidSync,
} from '../clients/proc-table.js';

/** How long a terminated process gets before SIGKILL (docs/OWNERSHIP.md). */
export const GRACE_MS = 3_000;

export type SignalResult =
  | { readonly status: 'gone'; readonly how: string }
  | { readonly status: 'fenced'; readonly reason: string }
  | { readonly status: 'survived'; readonly reason: string };

/** Still the same process: alive (not a zombie) with the recorded start time. */
async function isSame(pid: number, startTime: number): Promise<boolean> {
  const info = await readProcess(pid);
  return info !== null && info.startTime === startTime;
}

type Member = { readonly pid: number; readonly startTime: number };

/** Whether every live member of group `pgid`, read from /proc now, is one of `planned`. */
async function groupIsAsPlanned(pgid: number, planned: readonly Member[]): Promise<boolean> {
  const allowed = new Set(planned.map((m) => `${m.pid}@${m.startTime}`));
  const uid = process.getuid?.() ?? 0;
  const table = await readProcessTable();
  return table
    .filter((info) => info.pgid === pgid)
    .every(
      (info) =>
        allowed.has(`${info.pid}@${info.startTime}`) && readProcessUidSync(info.pid) === uid,
    );
}

/**
 * Signals the process group when the plan says so (`pgid === pid`, with the group's members as
 * planned: every one a ledger entry of ours) and the group, read again right now, holds nothing
 * else; otherwise the process alone. Never its descendants by tree: a job the user started from
 * a shell has its own group and is not ours to end.
 */
async function send(
  pid: number,
  pgid: number,
  group: readonly Member[] | undefined,
  signal: NodeJS.Signals,
): Promise<void> {
  const ownGroup = (await readProcess(process.pid))?.pgid ?? -1;
  const wholeGroup =
    pgid === pid &&
    pgid > 1 &&
    pgid !== ownGroup &&
    group !== undefined &&
    (await groupIsAsPlanned(pgid, group));
  try {
    if (wholeGroup) process.kill(-pgid, signal);
    else process.kill(pid, signal);
  } catch {
    // gone meanwhile, or not ours to signal: the fence below tells which
  }
}

async function waitGone(pid: number, startTime: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!(await isSame(pid, startTime))) return true;
    await sleep(50);
  }
  return !(await isSame(pid, startTime));
}

/**
 * Terminates one process fenced by its start time: the start time is re-checked right before
 * every signal (a reused pid is never signalled), `signal` first, SIGKILL after the grace.
 * Never pid 1, this process, or its ancestors.
 */
export async function terminateFenced(
  target: {
    readonly pid: number;
    readonly startTime: number;
    readonly pgid: number;
    readonly group?: readonly Member[] | undefined;
    readonly signal: NodeJS.Signals;
  },
  protectedPids: ReadonlySet<number>,
  graceMs = GRACE_MS,
): Promise<SignalResult> {
  const { pid, startTime, pgid } = target;
  if (pid <= 1 || protectedPids.has(pid))
    return {
      status: 'fenced',
      reason: `pid ${pid} is protected (init, this process or an ancestor)`,
    };
  if (!(await isSame(pid, startTime))) {
    const info = await readProcess(pid);
    return info
      ? {
          status: 'fenced',
          reason: `pid ${pid} now belongs to another process (start time ${info.startTime}, expected ${startTime}): not signalled`,
        }
      : { status: 'gone', how: 'already gone' };
  }
  const uid = process.getuid?.() ?? 0;
  const foreign = () => readProcessUidSync(pid) !== uid;
  const fencedForeign: SignalResult = {
    status: 'fenced',
    reason: `pid ${pid} belongs to another user (or runs set-uid or set-gid): never signalled (not even as root)`,
  };
  if (foreign()) return fencedForeign;
  await send(pid, pgid, target.group, target.signal);
  if (await waitGone(pid, startTime, graceMs))
    return { status: 'gone', how: `terminated with ${target.signal}` };
  if (!(await isSame(pid, startTime)))
    return { status: 'gone', how: `terminated with ${target.signal}` };
  // It may have exec'd a set-uid program during the grace: checked again before SIGKILL.
  if (foreign()) return fencedForeign;
  await send(pid, pgid, target.group, 'SIGKILL');
  if (await waitGone(pid, startTime, 1_000))
    return { status: 'gone', how: `killed with SIGKILL after ${graceMs / 1000} s` };
  return { status: 'survived', reason: `pid ${pid} survived SIGKILL` };
}

/** pid 1, this process and all its ancestors, read from /proc now. */
export async function protectedPidsOfSelf(): Promise<Set<number>> {
  return protectedPids(readProcessSync);
}
