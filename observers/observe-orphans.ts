import type { ActualState, MuxSession, Observation } from '../specs/actual-state.js';
import {
  childrenOf,
  descendantsFrom,
  type LiveSessionProcesses,
  type OrphanScan,
  type ScannedProcess,
  type ScannedWorktree,
} from '../specs/orphans.js';
import { observeLaneWorktrees } from './observe-lane-worktrees.js';
import { observeReview } from '../store/review-file.js';
import { join } from 'node:path';
import {
  type ProcessInfo,
  protectedPids,
  readProcessEnvironSync,
  readProcessTable,
  readProcessUidSync,
} from '../clients/proc-table.js';
import { MARKER_ENV, isMarkerName } from '../specs/markers.js';

export interface OrphanScanOptions {
  readonly stateDir: string;
  readonly timeoutMs: number;
  readonly env: NodeJS.ProcessEnv;
  /** Repositories whose `.helios-worktrees/` are scanned for abandoned lanes. */
  readonly repositories: readonly string[];
}

/** A process looks like ours when it carries any helios marker or names our state dir. */
function scanProcess(info: ProcessInfo, stateDir: string): ScannedProcess | null {
  const environ = readProcessEnvironSync(info.pid);
  // Our panes run `<stateDir>/launch/<id>.sh`: a process naming it without a marker looks like
  // ours by name only. (Merely naming the state dir, as our own CLI calls do, proves nothing.)
  const namesUs = info.argv.some((arg) => arg.startsWith(join(stateDir, 'launch') + '/'));
  const marked = environ !== null && Object.keys(environ).some(isMarkerName);
  if (!marked && !namesUs) return null;
  const uid = readProcessUidSync(info.pid);
  if (uid === null) return null; // exited meanwhile
  return {
    pid: info.pid,
    ppid: info.ppid,
    pgid: info.pgid,
    sid: info.sid,
    uid,
    startTime: info.startTime,
    argv: info.argv,
    environReadable: environ !== null,
    workspaceId: environ?.[MARKER_ENV.workspace] ?? null,
    instanceId: environ?.[MARKER_ENV.instance] ?? null,
    sessionId: environ?.[MARKER_ENV.session] ?? null,
    shareId: environ?.[MARKER_ENV.share] ?? null,
    role: environ?.[MARKER_ENV.role] ?? null,
  };
}

/**
 * Every multiplexer server on the machine, whoever runs it and on whichever socket: tmux servers
 * name themselves `tmux: server`, zellij servers run with `--server <socket>` (the emulator
 * too), GNU screen's is `SCREEN`. Over-matching only protects more.
 */
function isMultiplexerServer(info: ProcessInfo): boolean {
  if (info.comm === 'tmux: server' || info.comm === 'SCREEN') return true;
  const at = info.argv.indexOf('--server');
  return at >= 0 && /zellij/i.test(info.argv.slice(0, at + 2).join(' '));
}

function liveSessionsOf(
  sessions: ActualState['sessions'],
  table: readonly ProcessInfo[],
): LiveSessionProcesses[] {
  const children = childrenOf(table);
  const byPid = new Map(table.map((info) => [info.pid, info]));
  const live: MuxSession[] = Object.values(sessions).flatMap((o) =>
    o?.status === 'ok' ? o.items.filter((s) => s.state === 'live') : [],
  );
  return live.map((session) => {
    // Both clients report the server of a live session (tmux #{pid}, zellij's --server process).
    const server = session.serverPid ?? null;
    const pane = session.panePid === null ? [] : [...descendantsFrom([session.panePid], children)];
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
    observeLaneWorktrees(options.repositories, options),
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
    tree: processTable.map(({ pid, ppid }) => ({ pid, ppid })),
    multiplexerServers: processTable.filter(isMultiplexerServer).map((info) => info.pid),
    uid: process.getuid?.() ?? 0,
    liveSessions: liveSessionsOf(sessions, processTable),
    protectedPids: [...protectedPids((pid) => processTable.find((info) => info.pid === pid))],
    worktrees: worktrees satisfies Observation<ScannedWorktree>,
    review,
    stateDir: options.stateDir,
  };
}
