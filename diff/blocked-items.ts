import { missingCwdFailure } from '../specs/plan-text.js';
import type { LaneEntrySpec, SessionEntrySpec } from '../specs/checkpoint-spec.js';
import type { CorruptEntry } from '../specs/desired-state.js';
import type { BlockedItem } from '../specs/plan.js';
import { laneKey, sessionKey } from '../specs/resource-keys.js';

/** Builders of what the plan cannot do, each with a concrete suggestion for the operator. */

export function blockCorruptEntry(entry: CorruptEntry): BlockedItem {
  const label = entry.id ?? `entry #${entry.index}`;
  return {
    key: entry.key,
    subject: entry.kind === 'lane' ? 'lane' : 'session',
    id: entry.id ?? `#${entry.index}`,
    label,
    reason: 'checkpoint_corrupt',
    message: `checkpoint ${entry.kind} entry ${label} failed verification: ${entry.detail}`,
    suggestion: `Recreate ${label} by hand, then run \`helios-recover checkpoint\` to record it again.`,
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
    suggestion: `Recreate it with \`git -C ${lane.repository} worktree add ${lane.worktreePath} ${lane.branch}\`, then run \`helios-recover recover\` again.`,
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
    suggestion: `Recreate the worktree with \`git -C ${lane.repository} worktree add ${lane.worktreePath} ${lane.branch}\`, then run \`helios-recover recover\` again.`,
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
  backend: string,
  reason: string,
): BlockedItem {
  return {
    ...sessionBase(session),
    reason: 'observation_unavailable',
    message: `${backend} sessions could not be observed: ${reason}`,
    suggestion: `Check that ${backend} responds (\`${backend} list-sessions\`), then run \`helios-recover plan\` again.`,
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
    suggestion: `Check \`git -C ${lane.repository} worktree list\`, then run \`helios-recover plan\` again.`,
  };
}

export function blockForeignSession(session: SessionEntrySpec, owner: string): BlockedItem {
  return {
    ...sessionBase(session),
    reason: 'name_in_use',
    message: `a live session named ${session.sessionName} belongs to workspace ${owner}`,
    suggestion: `Close or rename that session if it is not needed, then run \`helios-recover recover\` again.`,
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

export function blockNameTaken(session: SessionEntrySpec, liveCwd: string): BlockedItem {
  return {
    ...sessionBase(session),
    reason: 'name_taken',
    message: `a live session named ${session.sessionName} carries no tag of this workspace and runs in ${liveCwd}, not ${session.workingDirectory}: not adopted`,
    suggestion: `If it is yours, rename it (tmux rename-session -t '=${session.sessionName}:' NEW) and run \`helios-recover recover\` again; it was flagged for review, never killed.`,
  };
}
