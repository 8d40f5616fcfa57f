import type { DesiredState } from '../specs/desired-state.js';
import { ledgerKeyOf, type LedgerEntry } from '../specs/ledger.js';
import {
  childrenOf,
  descendantsFrom,
  type LiveSessionProcesses,
  type OrphanScan,
  type ScannedProcess,
} from '../specs/orphans.js';

/**
 * What the ownership model says of one scanned process. Only `terminate` is ever acted on
 * automatically; `review` is listed for the operator with its command line; `leave` is not ours
 * (or is live work) and is not even mentioned.
 */
export type ProcessVerdict =
  | { readonly verdict: 'terminate'; readonly signal: 'SIGHUP' | 'SIGTERM' }
  | { readonly verdict: 'review'; readonly why: string }
  | { readonly verdict: 'leave' };

/** Who "we" are: the workspace and its instance (state dir + user). */
export interface Owner {
  readonly workspaceId: string;
  readonly instanceId: string;
}

/** A marker process of a session that is live again and started after its pane is its own. */
function startedInsideLiveSession(
  candidate: ScannedProcess,
  sessions: readonly LiveSessionProcesses[],
): boolean {
  return sessions.some(
    (session) =>
      session.pids.includes(candidate.pid) ||
      (candidate.sessionId !== null &&
        session.sessionId === candidate.sessionId &&
        session.paneStartTime !== null &&
        candidate.startTime >= session.paneStartTime),
  );
}

const short = (argv: readonly string[]) => argv.join(' ').slice(0, 80);

interface Context {
  readonly scan: OrphanScan;
  readonly desired: DesiredState;
  readonly owner: Owner;
  /** Session holders and everything below them. */
  readonly live: ReadonlySet<number>;
  /** This instance's ledger entries, by `pid@startTime`. */
  readonly ledger: ReadonlyMap<string, LedgerEntry>;
  /** Ledger processes of this instance by pid, to name the leader a member belongs to. */
  readonly recordedLeaders: ReadonlyMap<number, ScannedProcess>;
}

/**
 * The ownership model, pure. A process is terminated only when all of these hold:
 * - it is not pid 1, the scanner or one of its ancestors, and belongs to the scanning uid;
 * - no live session holder (tmux, zellij, screen, dtach, ... of any user) is among its ancestors;
 * - its pid and start time are in this instance's ledger (recorded by the launcher before it
 *   exec'd, or registered by the host app): markers are inherited by everything a pane starts,
 *   so they only find candidates;
 * - it is still what we recorded (the same argv): a pane leader that leads its own session, or a
 *   share worker whose host is gone and that is no longer wanted; and it was not started inside
 *   a session that is live again.
 * A process outside the ledger that carries this workspace's markers, names our launcher or
 * shares a group or session with a recorded process is for review; everything else is left.
 */
function classifyProcess(candidate: ScannedProcess, ctx: Context): ProcessVerdict {
  const { scan, owner } = ctx;
  if (scan.protectedPids.includes(candidate.pid) || candidate.pid <= 1) return { verdict: 'leave' };
  if (candidate.uid !== scan.uid) return { verdict: 'leave' };
  if (ctx.live.has(candidate.pid)) return { verdict: 'leave' };
  if (startedInsideLiveSession(candidate, scan.liveSessions)) return { verdict: 'leave' };
  const foreign =
    (candidate.workspaceId !== null && candidate.workspaceId !== owner.workspaceId) ||
    (candidate.instanceId !== null && candidate.instanceId !== owner.instanceId);
  const entry = ctx.ledger.get(ledgerKeyOf(candidate));
  if (entry && foreign)
    return {
      verdict: 'review',
      why: 'is in the ledger of what helios started but carries the markers of another workspace',
    };
  if (entry) return classifyRecorded(candidate, entry, ctx);
  if (foreign) return { verdict: 'leave' };
  const leader =
    ctx.recordedLeaders.get(candidate.pgid) ?? ctx.recordedLeaders.get(candidate.sid) ?? null;
  if (leader)
    return {
      verdict: 'review',
      why: `shares the ${leader.pid === candidate.pgid ? 'process group' : 'session'} of pid ${leader.pid} (${short(leader.argv)}), which helios started, but helios did not start it (a job, nohup or disown)`,
    };
  if (candidate.workspaceId === null) {
    const namesUs = candidate.argv.some((arg) => arg.startsWith(`${scan.stateDir}/launch/`));
    if (!namesUs) return { verdict: 'leave' };
    return { verdict: 'review', why: 'runs a helios launcher but is not in the ledger' };
  }
  return {
    verdict: 'review',
    why: `carries the markers of session ${candidate.sessionId ?? '?'} but is not in the ledger of what helios started (a job, a detached shell, or a terminal opened from a pane)`,
  };
}

/**
 * A process in the ledger: still what we started (the same argv: one that exec'd into another
 * program, a `nohup` job say, is not), and an orphan (a share worker whose host is gone and that
 * is no longer wanted; a pane leader that still leads its session), or else for review or left.
 */
function classifyRecorded(
  candidate: ScannedProcess,
  entry: LedgerEntry,
  ctx: Context,
): ProcessVerdict {
  const same =
    candidate.argv.length === entry.argv.length &&
    candidate.argv.every((word, i) => word === entry.argv[i]);
  if (!same)
    return {
      verdict: 'review',
      why: `was started by helios as \`${short(entry.argv)}\` but now runs something else (it exec'd)`,
    };
  if (entry.role === 'share-worker') {
    const wanted = ctx.desired.shareWorkers.some((worker) => worker.shareId === entry.shareId);
    const host = entry.host;
    const hostAlive =
      host !== null &&
      host !== undefined &&
      ctx.scan.tree.some((p) => p.pid === host.pid && p.startTime === host.startTime);
    if (wanted || hostAlive) return { verdict: 'leave' };
    return { verdict: 'terminate', signal: 'SIGTERM' };
  }
  if (candidate.sid === candidate.pid) return { verdict: 'terminate', signal: 'SIGHUP' };
  return {
    verdict: 'review',
    why: `was started by helios as the pane of ${entry.sessionId ?? '?'} but no longer leads its session`,
  };
}

export interface ClassifiedProcess {
  readonly candidate: ScannedProcess;
  readonly verdict: ProcessVerdict;
  /**
   * Signal the leader's whole process group: only when every live member of the group is a
   * ledger entry of this instance that is itself to be terminated.
   */
  readonly signalGroup: boolean;
  /** The group's live members (the leader's included) when the group is signalled. */
  readonly group: { pid: number; startTime: number }[];
}

/**
 * Verdicts for every scanned process that is to be terminated or reviewed. A group is
 * signalled as a group only when every live member is ours and to be terminated; otherwise only
 * the recorded process is signalled, and the other members are listed for review with their
 * command lines (marked or not), so a user's job never dies with our leader's group.
 */
export function classifyProcesses(
  scan: OrphanScan,
  desired: DesiredState,
  owner: Owner,
): ClassifiedProcess[] {
  if (scan.processes.status !== 'ok') return [];
  const processes = scan.processes.items;
  const ledger = new Map<string, LedgerEntry>();
  if (scan.ledger.status === 'ok')
    for (const entry of scan.ledger.items)
      if (entry.instanceId === owner.instanceId && entry.workspaceId === owner.workspaceId)
        ledger.set(ledgerKeyOf(entry), entry);
  const recordedLeaders = new Map(
    processes.filter((p) => ledger.has(ledgerKeyOf(p))).map((p) => [p.pid, p] as const),
  );
  const ctx: Context = {
    scan,
    desired,
    owner,
    live: descendantsFrom(scan.sessionHolders, childrenOf(scan.tree)),
    ledger,
    recordedLeaders,
  };
  const verdicts = processes.map((candidate) => ({
    candidate,
    verdict: classifyProcess(candidate, ctx),
  }));
  const byPid = new Map(verdicts.map((item) => [item.candidate.pid, item] as const));
  // Group members come from the whole table, not only from what the scan chose to look at.
  const membersOf = new Map<number, number[]>();
  for (const { pid, pgid } of scan.tree) {
    const members = membersOf.get(pgid);
    if (members) members.push(pid);
    else membersOf.set(pgid, [pid]);
  }
  const ownAndDoomed = (pid: number) => {
    const item = byPid.get(pid);
    return (
      item !== undefined &&
      item.verdict.verdict === 'terminate' &&
      ledger.has(ledgerKeyOf(item.candidate))
    );
  };
  return verdicts
    .filter(({ verdict }) => verdict.verdict !== 'leave')
    .map(({ candidate, verdict }) => {
      const members = membersOf.get(candidate.pgid) ?? [candidate.pid];
      const signalGroup =
        verdict.verdict === 'terminate' &&
        candidate.pgid === candidate.pid &&
        members.every(ownAndDoomed);
      const group = signalGroup
        ? members.map((pid) => {
            const { startTime } = byPid.get(pid)!.candidate;
            return { pid, startTime };
          })
        : [];
      return { candidate, verdict, signalGroup, group };
    });
}
