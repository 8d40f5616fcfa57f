import { type ActualState, blindPartsOf, type MuxSession } from '../specs/actual-state.js';
import type { Multiplexer, SessionEntrySpec } from '../specs/checkpoint-spec.js';
import type { DesiredState } from '../specs/desired-state.js';
import {
  type Action,
  type BlockedItem,
  PLAN_API_VERSION,
  type Plan,
  WAVES,
} from '../specs/plan.js';
import {
  blockCorruptEntry,
  blockForeignSession,
  blockMissingCwd,
  blockNameTaken,
  blockResurrected,
  blockZellijPanesLost,
  blockSessionOfMissingLane,
  blockUnobservableSession,
} from './blocked-items.js';
import { fingerprintActual } from './fingerprint.js';
import { compareActions } from '../specs/plan.js';
import { planLanes } from './plan-lanes.js';
import { isNameTaken, planOrphans } from './plan-orphans.js';
import { panesKey, sessionKey } from '../specs/resource-keys.js';
import { lostZellijPanes, missingPanes } from './missing-panes.js';

/** What the controller decides outside the diff. */
export interface RecoveryPolicy {
  /** The controller incarnation resources get bound to; bound resources are in sync. */
  readonly incarnation: string;
  /** Put every session on this backend instead of the one the checkpoint names. */
  readonly backend?: Multiplexer | undefined;
  /** This workspace instance (state dir + user): what markers and tags must name to be ours. */
  readonly instanceId: string;
  /** Wave 4 may terminate live tagged sessions missing from the desired state. */
  readonly prune?: boolean | undefined;
  /** Flag review items again even when already in review (approve re-checks with this). */
  readonly reflagReviewed?: boolean | undefined;
}

/**
 * The diff: desired vs actual -> an ordered plan. Pure: no I/O, no clock. A resource already
 * bound to `policy.incarnation` is in sync, so planning again after a successful apply gives an
 * empty plan.
 */
export function planRecovery(
  desired: DesiredState,
  actual: ActualState,
  policy: RecoveryPolicy,
): Plan {
  const actions: Action[] = [];
  const blocked: BlockedItem[] = desired.corrupt.map(blockCorruptEntry);
  const index = indexActual(actual);
  const missingLanes = planLanes(desired.lanes, actual, policy.incarnation, actions, blocked);
  for (const session of [...desired.sessions].sort((a, b) =>
    compareText(a.sessionId, b.sessionId),
  )) {
    const lane = session.laneId === null ? undefined : missingLanes.get(session.laneId);
    if (lane) {
      blocked.push(blockSessionOfMissingLane(session, lane));
      continue;
    }
    planSession(session, desired.workspaceId, actual, index, policy, actions, blocked);
  }
  const unavailable = describeUnavailable(actual);
  if (actual.orphans)
    actions.push(...planOrphans(desired, actual, actual.orphans, policy, unavailable));
  return {
    apiVersion: PLAN_API_VERSION,
    kind: 'RecoveryPlan',
    workspaceId: desired.workspaceId,
    generation: desired.generation,
    incarnation: policy.incarnation,
    fingerprint: fingerprintActual(actual, desired.workspaceId),
    actions: actions.sort(compareActions),
    blocked: blocked.sort((a, b) => compareText(a.key, b.key)),
    unavailable,
  };
}

/** Lookups by name and path, so planning stays linear in the number of sessions. */
interface ActualIndex {
  readonly byName: Map<string, MuxSession[]>;
  readonly missing: ReadonlySet<string>;
}

function indexActual(actual: ActualState): ActualIndex {
  const byName = new Map<string, MuxSession[]>();
  for (const [backend, observation] of Object.entries(actual.sessions)) {
    if (observation?.status !== 'ok') continue;
    for (const item of observation.items) {
      const key = `${backend}:${item.name}`;
      byName.set(key, [...(byName.get(key) ?? []), item]);
    }
  }
  return { byName, missing: new Set(actual.missingPaths) };
}

function planSession(
  session: SessionEntrySpec,
  workspaceId: string,
  actual: ActualState,
  index: ActualIndex,
  policy: RecoveryPolicy,
  actions: Action[],
  blocked: BlockedItem[],
): void {
  const backend = policy.backend ?? session.multiplexer;
  const observation = actual.sessions[backend];
  if (!observation || observation.status === 'unavailable') {
    const reason = observation?.status === 'unavailable' ? observation.reason : 'not observed';
    blocked.push(blockUnobservableSession(session, backend, reason));
    return;
  }
  // One hung server: its session is unknown, never absent (nothing is planned over it).
  const hung = blindPartsOf(observation).find((part) => part.name === session.sessionName);
  if (hung) {
    blocked.push(blockUnobservableSession(session, backend, hung.reason));
    return;
  }
  const key = sessionKey(session.sessionId);
  const sameName = index.byName.get(`${backend}:${session.sessionName}`) ?? [];
  const live = sameName.find((item) => item.state === 'live');
  if (live) {
    const otherInstance =
      live.workspaceId === workspaceId &&
      (live.instanceId ?? null) !== null &&
      live.instanceId !== policy.instanceId;
    if (live.workspaceId !== null && (live.workspaceId !== workspaceId || otherInstance)) {
      blocked.push(
        blockForeignSession(
          session,
          otherInstance ? `${workspaceId} (another state dir or user)` : live.workspaceId,
          backend,
        ),
      );
    } else if (isNameTaken(live, session)) {
      blocked.push(blockNameTaken(session, live.cwd ?? '?', backend));
    } else {
      if (!isBound(live, session, workspaceId, policy))
        actions.push({
          kind: 'reattach',
          key,
          wave: WAVES.reattach,
          reason: 'session_survived',
          backend,
          session,
        });
      // Only a session tagged as this instance's gets panes added (never a look-alike).
      const ours = live.workspaceId === workspaceId && live.instanceId === policy.instanceId;
      const lost = backend === 'zellij' && ours ? lostZellijPanes(session, live) : [];
      if (lost.length > 0) blocked.push(blockZellijPanesLost(session, lost));
      const missing = backend === 'tmux' && ours ? missingPanes(session, live) : [];
      if (missing.length > 0)
        actions.push({
          kind: 'repair',
          key: panesKey(session.sessionId),
          wave: WAVES.repair,
          reason: 'panes_missing',
          backend,
          session,
          missing,
        });
    }
    return;
  }
  // zellij resurrected it: with nothing running it is replaced; with shells zellij started
  // (perhaps in use since) it is the user's to settle.
  const resurrected = sameName.find((item) => item.state === 'waiting');
  if (resurrected && (resurrected.waiting?.running ?? 0) > 0) {
    blocked.push(blockResurrected(session, resurrected.waiting!.running));
    return;
  }
  if (index.missing.has(session.workingDirectory)) {
    blocked.push(blockMissingCwd(session));
    return;
  }
  // zellij's EXITED entry, or a session it resurrected whose panes wait: replaced, never kept.
  const replacesExited = sameName.some((item) => item.state !== 'live');
  actions.push({
    kind: 'respawn',
    key,
    wave: WAVES.respawn,
    reason: 'no_live_session',
    backend,
    session,
    replacesExited,
  });
}

function isBound(
  live: MuxSession,
  session: SessionEntrySpec,
  workspaceId: string,
  policy: RecoveryPolicy,
): boolean {
  return (
    live.incarnation === policy.incarnation &&
    live.workspaceId === workspaceId &&
    live.sessionId === session.sessionId
  );
}

function describeUnavailable(actual: ActualState): string[] {
  const lines: string[] = [];
  for (const [backend, observation] of Object.entries(actual.sessions)) {
    if (observation?.status === 'unavailable')
      lines.push(`${backend} sessions: ${observation.reason}`);
    for (const part of blindPartsOf(observation)) lines.push(`${backend} sessions: ${part.reason}`);
  }
  for (const [repository, observation] of Object.entries(actual.repositories)) {
    if (observation.status === 'unavailable')
      lines.push(`worktrees of ${repository}: ${observation.reason}`);
  }
  if (actual.laneBindings.status === 'unavailable')
    lines.push(`lane bindings: ${actual.laneBindings.reason}`);
  const scan = actual.orphans;
  if (scan?.processes.status === 'unavailable') lines.push(`processes: ${scan.processes.reason}`);
  if (scan?.ledger.status === 'unavailable') lines.push(`ledger: ${scan.ledger.reason}`);
  if (scan?.worktrees.status === 'unavailable')
    lines.push(`lane worktrees: ${scan.worktrees.reason}`);
  if (scan?.review.status === 'unavailable') lines.push(`review list: ${scan.review.reason}`);
  if (actual.tempFiles.status === 'unavailable')
    lines.push(`temp files: ${actual.tempFiles.reason}`);
  return lines;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
