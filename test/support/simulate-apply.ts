import type { ActualState, LaneBinding, MuxSession } from '../../specs/actual-state.js';
import type { DesiredState } from '../../specs/desired-state.js';
import type { Plan } from '../../specs/plan.js';

/**
 * A model of what successful executors do to the world, for property tests of the diff:
 * reattach binds the live session, respawn creates a bound live session (replacing an exited
 * one), reinventory records the lane binding.
 */
export function simulateApply(desired: DesiredState, actual: ActualState, plan: Plan): ActualState {
  const sessions = { ...actual.sessions };
  let laneBindings: LaneBinding[] =
    actual.laneBindings.status === 'ok' ? [...actual.laneBindings.items] : [];
  for (const action of plan.actions) {
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
    laneBindings:
      actual.laneBindings.status === 'ok'
        ? { status: 'ok', items: laneBindings }
        : actual.laneBindings,
  };
}
