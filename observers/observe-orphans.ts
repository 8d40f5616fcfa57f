import type { ActualState, MuxSession, Observation } from '../specs/actual-state.js';
import type {
  LiveSessionProcesses,
  OrphanScan,
  ScannedProcess,
  ScannedWorktree,
} from '../specs/orphans.js';
import { observeLaneWorktrees } from './observe-lane-worktrees.js';
import { observeReview } from './observe-review.js';
import { join } from 'node:path';
import {
  type ProcessInfo,
  protectedPids,
  readProcessEnvironSync,
  readProcessSync,
  readProcessTable,
} from './proc-table.js';
import { findZellijServer, type ZellijTarget } from './zellij-target.js';

export interface OrphanScanOptions {
  readonly stateDir: string;
  readonly zellij: ZellijTarget;
  readonly timeoutMs: number;
  /** Repositories whose `.helios-worktrees/` are scanned for abandoned lanes. */
  readonly repositories: readonly string[];
}

/** A process looks like ours when it carries any helios marker or names our state dir. */
function scanProcess(info: ProcessInfo, stateDir: string): ScannedProcess | null {
  const environ = readProcessEnvironSync(info.pid);
  // Our panes run `<stateDir>/launch/<id>.sh`: a process naming it without a marker looks like
  // ours by name only. (Merely naming the state dir, as our own CLI calls do, proves nothing.)
  const namesUs = info.argv.some((arg) => arg.startsWith(join(stateDir, 'launch') + '/'));
  const marked = environ !== null && Object.keys(environ).some((key) => key.startsWith('HELIOS_'));
  if (!marked && !namesUs) return null;
  if (environ === null && readProcessSync(info.pid) === null) return null; // exited meanwhile
  return {
    pid: info.pid,
    ppid: info.ppid,
    pgid: info.pgid,
    startTime: info.startTime,
    argv: info.argv,
    environReadable: environ !== null,
    workspaceId: environ?.HELIOS_WORKSPACE_ID ?? null,
    sessionId: environ?.HELIOS_SESSION_ID ?? null,
    shareId: environ?.HELIOS_SHARE_ID ?? null,
    role: environ?.HELIOS_ROLE ?? null,
  };
}

function descendants(root: number, children: Map<number, number[]>): number[] {
  const pids = [root];
  for (let i = 0; i < pids.length; i += 1) pids.push(...(children.get(pids[i]!) ?? []));
  return pids;
}

function liveSessionsOf(
  sessions: ActualState['sessions'],
  table: readonly ProcessInfo[],
  zellij: ZellijTarget,
): LiveSessionProcesses[] {
  const children = new Map<number, number[]>();
  for (const info of table) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info.pid]);
  const byPid = new Map(table.map((info) => [info.pid, info]));
  const live: MuxSession[] = Object.values(sessions).flatMap((o) =>
    o?.status === 'ok' ? o.items.filter((s) => s.state === 'live') : [],
  );
  return live.map((session) => {
    const server =
      session.serverPid ??
      (session.backend === 'zellij' ? findZellijServer(table, zellij, session.name)?.pid : null);
    const pane = session.panePid === null ? [] : descendants(session.panePid, children);
    return {
      backend: session.backend,
      name: session.name,
      sessionId: session.sessionId,
      pids: server ? [server, ...pane] : pane,
      paneStartTime:
        session.panePid === null ? null : (byPid.get(session.panePid)?.startTime ?? null),
    };
  });
}

/**
 * Gathers what wave 4 needs, after the sessions were observed: processes that look like ours
 * (read from /proc: marker env, stat field 22, cmdline), the processes of every live session,
 * lane worktrees with their dirty state, and the review list. Never decides anything.
 */
export async function observeOrphans(
  sessions: ActualState['sessions'],
  options: OrphanScanOptions,
): Promise<OrphanScan> {
  const [table, worktrees, review] = await Promise.all([
    readProcessTable().then(
      (items) => items,
      (error: Error) => error,
    ),
    observeLaneWorktrees(options.repositories, options.timeoutMs),
    observeReview(options.stateDir),
  ]);
  let processes: Observation<ScannedProcess>;
  if (table instanceof Error) {
    processes = { status: 'unavailable', reason: `cannot read /proc (${table.message})` };
  } else {
    const scanned = table.map((info) => scanProcess(info, options.stateDir));
    processes = {
      status: 'ok',
      items: scanned.filter((item): item is ScannedProcess => item !== null),
    };
  }
  const processTable = table instanceof Error ? [] : table;
  return {
    processes,
    liveSessions: liveSessionsOf(sessions, processTable, options.zellij),
    protectedPids: [...protectedPids((pid) => processTable.find((info) => info.pid === pid))],
    worktrees: worktrees satisfies Observation<ScannedWorktree>,
    review,
    stateDir: options.stateDir,
  };
}
