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
  readExecutableName,
  readProcessEnvironSync,
  readProcessSync,
  readProcessTable,
  readProcessUidSync,
} from '../clients/proc-table.js';
import { MARKER_ENV, isMarkerName } from '../specs/markers.js';
import { ledgerKeyOf } from '../specs/ledger.js';
import { sessionHolderOf } from '../specs/session-holders.js';
import { compactLedger, readBootId, readLedger } from '../store/ledger-file.js';

export interface OrphanScanOptions {
  readonly stateDir: string;
  /** The workspace whose processes' groups and sessions are scanned in full. */
  readonly workspaceId: string;
  readonly timeoutMs: number;
  readonly env: NodeJS.ProcessEnv;
  /** Repositories whose `.helios-worktrees/` are scanned for abandoned lanes. */
  readonly repositories: readonly string[];
}

/** What the scan reads of one process, marked or not. */
function scanProcess(info: ProcessInfo): ScannedProcess | null {
  const environ = readProcessEnvironSync(info.pid);
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
 * The processes the diff judges: every one in the ledger, carrying a helios marker or naming
 * our launcher, and every member of the process group and session of each of those, marked or
 * not (a user's `env -i` job in our leader's group must be seen to guard the group).
 */
function scanCandidates(
  table: readonly ProcessInfo[],
  options: { readonly stateDir: string; readonly workspaceId: string },
  ledger: ReadonlySet<string>,
): ScannedProcess[] {
  const launchDir = join(options.stateDir, 'launch') + '/';
  const found = new Map<number, ScannedProcess>();
  const ours = new Set<ScannedProcess>();
  for (const info of table) {
    const recorded = ledger.has(ledgerKeyOf(info));
    const namesUs = info.argv.some((arg) => arg.startsWith(launchDir));
    if (!recorded && !namesUs) {
      const environ = readProcessEnvironSync(info.pid);
      if (!environ || !Object.keys(environ).some(isMarkerName)) continue;
    }
    const scanned = scanProcess(info);
    if (!scanned) continue;
    found.set(info.pid, scanned);
    if (recorded || namesUs || scanned.workspaceId === options.workspaceId) ours.add(scanned);
  }
  // The groups and sessions of what may be ours; another workspace's are not ours to judge.
  const groups = new Set([...ours].flatMap((p) => [p.pgid, p.sid]));
  for (const info of table) {
    if (found.has(info.pid) || !(groups.has(info.pgid) || groups.has(info.sid))) continue;
    const scanned = scanProcess(info);
    if (scanned) found.set(info.pid, scanned);
  }
  return [...found.values()];
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
 * Gathers what wave 4 needs, after the sessions were observed: this instance's ledger, the
 * processes it judges (ledger entries, marked processes, and the other members of their groups
 * and sessions, from /proc: markers, stat field 22, cmdline), every session holder, the
 * processes of every live session, lane worktrees with their dirty state, and the review list.
 * Never decides anything. Ledger entries of processes that are gone are compacted away.
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
  const bootId = readBootId();
  const ledger = readLedger(options.stateDir, bootId);
  let processes: Observation<ScannedProcess>;
  if (table instanceof Error) {
    processes = { status: 'unavailable', reason: `cannot read /proc (${table.message})` };
  } else {
    const recorded = new Set(ledger.status === 'ok' ? ledger.items.map(ledgerKeyOf) : []);
    processes = { status: 'ok', items: scanCandidates(table, options, recorded) };
    // Alive now, not in the table read above: an entry written since is kept.
    if (bootId !== null)
      await compactLedger(
        options.stateDir,
        bootId,
        (entry) => readProcessSync(entry.pid)?.startTime === entry.startTime,
      );
  }
  const processTable = table instanceof Error ? [] : table;
  return {
    processes,
    tree: processTable.map(({ pid, ppid, pgid, sid, startTime }) => ({
      pid,
      ppid,
      pgid,
      sid,
      startTime,
    })),
    sessionHolders: processTable
      .filter((info) => sessionHolderOf({ ...info, exe: readExecutableName(info.pid) }) !== null)
      .map((info) => info.pid),
    ledger,
    uid: process.getuid?.() ?? 0,
    liveSessions: liveSessionsOf(sessions, processTable),
    protectedPids: [...protectedPids((pid) => processTable.find((info) => info.pid === pid))],
    worktrees: worktrees satisfies Observation<ScannedWorktree>,
    review,
    stateDir: options.stateDir,
  };
}
