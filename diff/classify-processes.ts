import type { DesiredState } from '../specs/desired-state.js';
import {
  childrenOf,
  descendantsFrom,
  type LiveSessionProcesses,
  type OrphanScan,
  type ScannedProcess,
} from '../specs/orphans.js';

/**
 * What the ownership model says of one marked process. Only `terminate` is ever acted on
 * automatically; `review` is listed for the operator with its command line; `leave` is not ours
 * (or is live work) and is not even mentioned.
 */
export type ProcessVerdict =
  | { readonly verdict: 'terminate'; readonly signal: 'SIGHUP' | 'SIGTERM' }
  | { readonly verdict: 'review'; readonly why: string }
  | { readonly verdict: 'leave' };

/** Who "we" are: the workspace, its instance (state dir + user), the scanning uid. */
export interface Owner {
  readonly workspaceId: string;
  readonly instanceId: string;
}

/** Every process with a live multiplexer server among its ancestors (the servers included). */
function liveMultiplexerDescendants(scan: OrphanScan): ReadonlySet<number> {
  return descendantsFrom(scan.multiplexerServers, childrenOf(scan.tree));
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

/** Whether argv is what we started for that session: its launcher, or its shell command. */
function isSessionCommand(
  candidate: ScannedProcess,
  desired: DesiredState,
  launchDir: string,
): boolean {
  const session = desired.sessions.find((s) => s.sessionId === candidate.sessionId);
  if (!session) return false;
  const launcher = `${launchDir}/${session.sessionId}.sh`;
  if (candidate.argv.includes(launcher)) return true;
  const command = session.shellCommand;
  const argv = candidate.argv[0]?.startsWith('-')
    ? [candidate.argv[0].slice(1), '-l', ...candidate.argv.slice(1)]
    : candidate.argv;
  return argv.length === command.length && argv.every((arg, i) => arg === command[i]);
}

/**
 * The ownership model, pure. A process is terminated only when all of these hold:
 * - it is not pid 1, the scanner or one of its ancestors;
 * - it belongs to the scanning uid (never another user's, even for root);
 * - no live multiplexer server (any socket, any user) is among its ancestors: live anywhere;
 * - its markers name this workspace *and* this instance;
 * - it is the process we started: a shell that leads its own session (the PTY leader) running
 *   its session's launcher or shell command, or a share worker that leads its own group and is
 *   no longer wanted;
 * - it was not started inside a session that is live again.
 * A marked process of this instance that fails the leader test (a job, `nohup`, `disown`, a
 * child in its own group) and any marked process without an instance is for review; everything
 * else is left alone.
 */
function classifyProcess(
  candidate: ScannedProcess,
  scan: OrphanScan,
  desired: DesiredState,
  owner: Owner,
  live: ReadonlySet<number>,
): ProcessVerdict {
  if (scan.protectedPids.includes(candidate.pid) || candidate.pid <= 1) return { verdict: 'leave' };
  if (candidate.uid !== scan.uid) return { verdict: 'leave' };
  if (live.has(candidate.pid)) return { verdict: 'leave' };
  if (candidate.workspaceId === null) {
    const namesUs = candidate.argv.some((arg) => arg.startsWith(`${scan.stateDir}/launch/`));
    if (!namesUs) return { verdict: 'leave' };
    return {
      verdict: 'review',
      why: candidate.environReadable
        ? `runs a helios launcher but carries no marker of ${owner.workspaceId}`
        : 'runs a helios launcher and has an unreadable environment',
    };
  }
  if (candidate.workspaceId !== owner.workspaceId) return { verdict: 'leave' };
  if (candidate.instanceId !== null && candidate.instanceId !== owner.instanceId)
    return { verdict: 'leave' };
  if (startedInsideLiveSession(candidate, scan.liveSessions)) return { verdict: 'leave' };
  if (candidate.instanceId === null)
    return { verdict: 'review', why: `carries no instance marker of this state dir` };
  if (candidate.role === 'share-worker') {
    const wanted = desired.shareWorkers.some((worker) => worker.shareId === candidate.shareId);
    if (wanted) return { verdict: 'leave' };
    if (candidate.pgid === candidate.pid) return { verdict: 'terminate', signal: 'SIGTERM' };
    return { verdict: 'review', why: 'was started by a share worker, not as one' };
  }
  if (
    candidate.role === 'shell' &&
    candidate.sid === candidate.pid &&
    isSessionCommand(candidate, desired, `${scan.stateDir}/launch`)
  )
    return { verdict: 'terminate', signal: 'SIGHUP' };
  return {
    verdict: 'review',
    why: `was started inside session ${candidate.sessionId ?? '?'} (a job, nohup or disown), not by helios`,
  };
}

export interface ClassifiedProcess {
  readonly candidate: ScannedProcess;
  readonly verdict: ProcessVerdict;
  /** Terminate the leader's whole process group: only when nothing in it is to be left alone. */
  readonly signalGroup: boolean;
}

/**
 * Verdicts for every scanned process that is to be terminated or reviewed. A process in the
 * group of a leader whose whole group is signalled goes with it, so it is not listed on its own;
 * a group that holds anything to leave alone is never signalled as a group (only its leader),
 * so what else it holds is listed for review now, not discovered on the next pass.
 */
export function classifyProcesses(
  scan: OrphanScan,
  desired: DesiredState,
  owner: Owner,
): ClassifiedProcess[] {
  if (scan.processes.status !== 'ok') return [];
  const live = liveMultiplexerDescendants(scan);
  const verdicts = scan.processes.items.map((candidate) => ({
    candidate,
    verdict: classifyProcess(candidate, scan, desired, owner, live),
  }));
  const groupOf = (kind: ProcessVerdict['verdict']) =>
    new Set(verdicts.filter((v) => v.verdict.verdict === kind).map((v) => v.candidate.pgid));
  const guarded = groupOf('leave');
  const signalledGroups = new Set(
    verdicts
      .filter(
        ({ candidate, verdict }) =>
          verdict.verdict === 'terminate' &&
          candidate.pgid === candidate.pid &&
          !guarded.has(candidate.pgid),
      )
      .map((v) => v.candidate.pgid),
  );
  return verdicts
    .filter(
      ({ candidate, verdict }) =>
        verdict.verdict === 'terminate' ||
        (verdict.verdict === 'review' && !signalledGroups.has(candidate.pgid)),
    )
    .map((v) => ({
      ...v,
      signalGroup: v.candidate.pgid === v.candidate.pid && !guarded.has(v.candidate.pgid),
    }));
}
