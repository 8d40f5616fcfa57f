import type { ActualState, LaneBinding, MuxSession } from '../../specs/actual-state.js';
import type { DesiredState } from '../../specs/desired-state.js';
import type { CleanupAction, Plan } from '../../specs/plan.js';
import type { OrphanScan } from '../../specs/orphans.js';

/**
 * A model of what successful executors do to the world, for property tests of the diff:
 * reattach binds the live session, respawn creates a bound live session (replacing an exited
 * one), reinventory records the lane binding.
 */
export function simulateApply(desired: DesiredState, actual: ActualState, plan: Plan): ActualState {
  const sessions = { ...actual.sessions };
  let laneBindings: LaneBinding[] =
    actual.laneBindings.status === 'ok' ? [...actual.laneBindings.items] : [];
  let scan = actual.orphans;
  let tempFiles = actual.tempFiles;
  for (const action of plan.actions) {
    if (action.kind === 'terminate' || action.kind === 'remove' || action.kind === 'flag') {
      ({ scan, tempFiles } = simulateCleanup(action, scan, tempFiles, sessions));
      continue;
    }
    if (action.kind === 'reinventory') {
      laneBindings = laneBindings.filter((b) => b.laneId !== action.lane.laneId);
      laneBindings.push({
        laneId: action.lane.laneId,
        incarnation: plan.incarnation,
        worktreePath: action.lane.worktreePath,
        branch: action.lane.branch,
      });
      continue;
    }
    const observation = sessions[action.backend];
    if (!observation || observation.status !== 'ok')
      throw new Error('plan acted on an unobserved backend');
    const bound: MuxSession = {
      backend: action.backend,
      name: action.session.sessionName,
      state: 'live',
      workspaceId: desired.workspaceId,
      sessionId: action.session.sessionId,
      incarnation: plan.incarnation,
      panePid: 1000,
      cwd: action.session.workingDirectory,
    };
    const others = observation.items.filter((item) => item.name !== action.session.sessionName);
    sessions[action.backend] = { status: 'ok', items: [...others, bound] };
  }
  return {
    ...actual,
    sessions,
    tempFiles,
    orphans: scan,
    laneBindings:
      actual.laneBindings.status === 'ok'
        ? { status: 'ok', items: laneBindings }
        : actual.laneBindings,
  };
}

/** Successful wave 4: terminated processes and sessions are gone, files removed, flags recorded. */
function simulateCleanup(
  action: CleanupAction,
  scan: OrphanScan | undefined,
  tempFiles: ActualState['tempFiles'],
  sessions: Record<string, ActualState['sessions'][keyof ActualState['sessions']]>,
): { scan: OrphanScan | undefined; tempFiles: ActualState['tempFiles'] } {
  if (action.kind === 'remove' && tempFiles.status === 'ok') {
    return {
      scan,
      tempFiles: { status: 'ok', items: tempFiles.items.filter((f) => f.path !== action.path) },
    };
  }
  if (action.kind === 'terminate' && action.target.type === 'session') {
    const { backend, name } = action.target;
    const observation = sessions[backend];
    if (observation?.status === 'ok')
      sessions[backend] = { status: 'ok', items: observation.items.filter((s) => s.name !== name) };
    return { scan, tempFiles };
  }
  if (!scan) return { scan, tempFiles };
  if (
    action.kind === 'terminate' &&
    action.target.type === 'process' &&
    scan.processes.status === 'ok'
  ) {
    const { pid, pgid } = action.target;
    // A leader signalled as a group takes its group with it.
    const gone = (p: { pid: number; pgid: number }) =>
      p.pid === pid || (pgid === pid && p.pgid === pgid);
    return {
      scan: {
        ...scan,
        processes: { status: 'ok', items: scan.processes.items.filter((p) => !gone(p)) },
        tree: scan.tree.filter((edge) => !gone(edge)),
      },
      tempFiles,
    };
  }
  if (action.kind === 'flag' && scan.review.status === 'ok') {
    const record = {
      id: action.reviewId,
      key: action.key,
      subject: action.subject,
      reason: action.reason,
      detail: action.detail,
      status: 'pending' as const,
      flaggedAt: 'now',
      ...(action.identity ? { identity: action.identity } : {}),
    };
    return {
      scan: { ...scan, review: { status: 'ok', items: [...scan.review.items, record] } },
      tempFiles,
    };
  }
  return { scan, tempFiles };
}
