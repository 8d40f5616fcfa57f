import type { ActualState, LaneBinding, MuxSession } from '../../specs/actual-state.js';
import type { DesiredState } from '../../specs/desired-state.js';
import type { Action, CleanupAction, Plan } from '../../specs/plan.js';
import type { OrphanScan } from '../../specs/orphans.js';

/** Who applies: the owner a created or bound session gets, and its process ids. */
export interface ApplyModel {
  readonly workspaceId: string;
  readonly instanceId?: string | undefined;
  readonly incarnation: string;
  /** The pid a respawned session's pane gets (default 1000). */
  readonly nextPid?: (() => number) | undefined;
}

/**
 * The one model of what successful executors do to the world, shared by the diff's property
 * tests (simulateApply) and the fake world (test/fakes/fake-world.ts): reattach binds the live
 * session (its pane and cwd stay as they are), respawn creates a bound live session (replacing
 * an exited one), reinventory records the lane binding, wave 4 ends what it terminates, removes
 * what it removes and records what it flags.
 */
export function applyActions(
  actual: ActualState,
  actions: readonly Action[],
  model: ApplyModel,
): ActualState {
  const sessions = { ...actual.sessions };
  let laneBindings: LaneBinding[] =
    actual.laneBindings.status === 'ok' ? [...actual.laneBindings.items] : [];
  let scan = actual.orphans;
  let tempFiles = actual.tempFiles;
  for (const action of actions) {
    if (action.kind === 'terminate' || action.kind === 'remove' || action.kind === 'flag') {
      ({ scan, tempFiles } = simulateCleanup(action, scan, tempFiles, sessions));
      continue;
    }
    if (action.kind === 'reinventory') {
      laneBindings = laneBindings.filter((b) => b.laneId !== action.lane.laneId);
      laneBindings.push({
        laneId: action.lane.laneId,
        incarnation: model.incarnation,
        worktreePath: action.lane.worktreePath,
        branch: action.lane.branch,
      });
      continue;
    }
    const observation = sessions[action.backend];
    if (!observation || observation.status !== 'ok')
      throw new Error('plan acted on an unobserved backend');
    const existing = observation.items.find(
      (item) => item.name === action.session.sessionName && item.state === 'live',
    );
    const owner = {
      workspaceId: model.workspaceId,
      ...(model.instanceId ? { instanceId: model.instanceId } : {}),
      sessionId: action.session.sessionId,
      incarnation: model.incarnation,
    };
    const bound: MuxSession =
      action.kind === 'reattach' && existing
        ? { ...existing, ...owner }
        : {
            backend: action.backend,
            name: action.session.sessionName,
            state: 'live',
            ...owner,
            panePid: model.nextPid?.() ?? 1000,
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

/** Applies a whole plan with the model above, as its successful executors would. */
export function simulateApply(desired: DesiredState, actual: ActualState, plan: Plan): ActualState {
  return applyActions(actual, plan.actions, {
    workspaceId: desired.workspaceId,
    incarnation: plan.incarnation,
  });
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
