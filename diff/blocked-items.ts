import { missingCwdFailure } from '../specs/plan-text.js';
import type { LaneEntrySpec, Multiplexer, SessionEntrySpec } from '../specs/checkpoint-spec.js';
import type { CorruptEntry } from '../specs/desired-state.js';
import type { BlockedItem } from '../specs/plan.js';
import type { Remedy } from '../specs/remedies.js';
import { laneKey, panesKey, sessionKey } from '../specs/resource-keys.js';

/** Builders of what the plan cannot do, each with a concrete remedy for the operator. */

export function blockCorruptEntry(entry: CorruptEntry): BlockedItem {
  const label = entry.id ?? `entry #${entry.index}`;
  return {
    key: entry.key,
    subject: entry.kind === 'lane' ? 'lane' : 'session',
    id: entry.id ?? `#${entry.index}`,
    label,
    reason: 'checkpoint_corrupt',
    message: `checkpoint ${entry.kind} entry ${label} failed verification: ${entry.detail}`,
    remedy: { code: 'recreate_entry', label },
  };
}

export function blockMissingLane(lane: LaneEntrySpec): BlockedItem {
  return {
    key: laneKey(lane.laneId),
    subject: 'lane',
    id: lane.laneId,
    label: lane.worktreePath,
    reason: 'lane_missing',
    message: `worktree ${lane.worktreePath} of lane ${lane.laneId} is gone`,
    remedy: recreateWorktree(lane),
  };
}

export function blockSessionOfMissingLane(
  session: SessionEntrySpec,
  lane: LaneEntrySpec,
): BlockedItem {
  return {
    ...sessionBase(session),
    reason: 'lane_missing',
    message: `lane ${lane.laneId} (worktree ${lane.worktreePath}) is gone; not respawning in another directory`,
    remedy: recreateWorktree(lane),
  };
}

export function blockMissingCwd(session: SessionEntrySpec): BlockedItem {
  return {
    ...sessionBase(session),
    reason: 'cwd_missing',
    ...missingCwdFailure(session.workingDirectory, session.sessionName),
  };
}

export function blockUnobservableSession(
  session: SessionEntrySpec,
  backend: Multiplexer,
  reason: string,
): BlockedItem {
  return {
    ...sessionBase(session),
    reason: 'observation_unavailable',
    message: `${backend} sessions could not be observed: ${reason}`,
    remedy: { code: 'check_multiplexer', backend },
  };
}

export function blockUnobservableLane(lane: LaneEntrySpec, reason: string): BlockedItem {
  return {
    key: laneKey(lane.laneId),
    subject: 'lane',
    id: lane.laneId,
    label: lane.worktreePath,
    reason: 'observation_unavailable',
    message: `worktrees of ${lane.repository} could not be observed: ${reason}`,
    remedy: { code: 'check_worktrees', repository: lane.repository },
  };
}

export function blockForeignSession(
  session: SessionEntrySpec,
  owner: string,
  backend: Multiplexer,
): BlockedItem {
  return {
    ...sessionBase(session),
    reason: 'name_in_use',
    message: `a live session named ${session.sessionName} belongs to workspace ${owner}`,
    remedy: { code: 'free_session_name', sessionName: session.sessionName, backend },
  };
}

function sessionBase(session: SessionEntrySpec) {
  return {
    key: sessionKey(session.sessionId),
    subject: 'session' as const,
    id: session.sessionId,
    label: session.sessionName,
  };
}

/** Flagged for review, never killed: the remedy frees the name for the checkpoint's session. */
export function blockNameTaken(
  session: SessionEntrySpec,
  liveCwd: string,
  backend: Multiplexer,
): BlockedItem {
  return {
    ...sessionBase(session),
    reason: 'name_taken',
    message: `a live session named ${session.sessionName} carries no tag of this workspace and runs in ${liveCwd}, not ${session.workingDirectory}: not adopted`,
    remedy: { code: 'free_session_name', sessionName: session.sessionName, backend },
  };
}

const recreateWorktree = (lane: LaneEntrySpec): Remedy => ({
  code: 'recreate_worktree',
  repository: lane.repository,
  worktreePath: lane.worktreePath,
  branch: lane.branch,
});

/**
 * zellij resurrected the session from its own layout: some panes run (shells zellij started,
 * perhaps used since) while others wait for ENTER. Not a survivor, and not killed: the user
 * settles it.
 */
export function blockResurrected(session: SessionEntrySpec, running: number): BlockedItem {
  return {
    ...sessionBase(session),
    reason: 'resurrected_waiting',
    message: `zellij resurrected ${session.sessionName} from its own layout: ${running} pane(s) run without the checkpoint's environment and others wait to run; not reattached`,
    remedy: { code: 'settle_resurrected', sessionName: session.sessionName },
  };
}

/**
 * A live zellij session of ours lost panes: zellij cannot place a pane into a given split of a
 * running session, so they are named, never claimed in sync (the session is not touched).
 */
export function blockZellijPanesLost(
  session: SessionEntrySpec,
  panes: readonly string[],
): BlockedItem {
  return {
    ...sessionBase(session),
    key: panesKey(session.sessionId),
    reason: 'panes_missing',
    message: `zellij session ${session.sessionName} runs without ${panes.length === 1 ? 'pane' : 'panes'} ${panes.join(', ')} of the checkpoint; they are not recreated inside a live zellij session`,
    remedy: { code: 'restart_session', sessionName: session.sessionName, backend: 'zellij' },
  };
}
