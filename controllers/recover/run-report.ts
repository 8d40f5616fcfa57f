import type { CleanupCounts, RecoveryStage } from '../../specs/events.js';
import { canonicalJson } from '../../specs/canonical-json.js';
import type { Plan } from '../../specs/plan.js';
import type { EventBus } from '../event-bus.js';
import type { RecoveryState } from '../../specs/state-files.js';
import { hasIssues, type RunReport } from '../../specs/reports.js';
import { summarizeSessions } from '../session-results.js';
import type { Inventory } from './take-inventory.js';
import type { WorkspaceConfig } from '../workspace-config.js';

/** Where a run stands, as `recover` tracks it: everything its report is derived from. */
export interface RunFacts {
  readonly config: WorkspaceConfig;
  readonly stage: RecoveryStage;
  readonly state: RecoveryState;
  readonly inventory: Extract<Inventory, { ok: true }> | null;
  readonly plan: Plan | null;
  readonly cleanup: CleanupCounts | null;
  readonly stateUnsaved: string | null;
  readonly durationMs: number;
}

/**
 * The report of a run; `withIssues` is derived by the one rule, `hasIssues` (specs/reports.ts).
 */
export function runReportOf(facts: RunFacts): RunReport {
  const { config, stage, state, inventory, plan, cleanup, stateUnsaved } = facts;
  const outcomes = state.outcomes;
  const withIssues = hasIssues({
    stage,
    failed: outcomes.filter((outcome) => outcome.status === 'failed').length,
    cleanup,
    unavailable: plan?.unavailable ?? [],
    stateUnsaved,
  });
  return {
    workspaceId: config.workspaceId,
    incarnation: state.incarnation,
    stage,
    checkpoint: inventory?.checkpoint ?? null,
    plan,
    outcomes,
    sessions: inventory ? summarizeSessions(inventory.desired, plan, outcomes) : [],
    failureReason: state.failureReason,
    failureRemedy: state.failureRemedy,
    cleanup,
    stateUnsaved,
    withIssues,
    durationMs: facts.durationMs,
  };
}

/** Emits `recovery.completed` for a finished run and returns its report. */
export function finish(bus: EventBus, report: RunReport): RunReport {
  bus.emit('recovery.completed', {
    stage: report.stage,
    restored: report.sessions.filter((s) => s.status === 'reattached' || s.status === 'respawned')
      .length,
    failed: report.sessions.filter((s) => s.status === 'failed').length,
    withIssues: report.withIssues,
    durationMs: report.durationMs,
  });
  return report;
}

/**
 * Why a saved plan may not be applied, or null when it still matches the world. A saved plan is
 * a file anybody who can write its directory can edit, so besides being computed from the same
 * checkpoint and observed state, every action it holds must be one the observed state plans
 * now, to the letter (a command, a pid, a path): an action added or changed in the file is
 * refused, and nothing is done. Actions it lacks are simply not applied. Whatever the reason,
 * the remedy is the same: plan again (`replan`).
 */
export function staleness(saved: Plan, fresh: Plan): string | null {
  if (saved.workspaceId !== fresh.workspaceId)
    return `saved plan is for workspace ${saved.workspaceId}, not ${fresh.workspaceId}`;
  if (saved.generation !== fresh.generation) {
    return `saved plan is stale: it was computed from checkpoint generation ${saved.generation}, the newest valid one is ${fresh.generation}`;
  }
  if (saved.fingerprint !== fresh.fingerprint) {
    return 'saved plan is stale: the observed state changed since it was computed';
  }
  const planned = new Set(fresh.actions.map((action) => canonicalJson(action)));
  const foreign = saved.actions.find((action) => !planned.has(canonicalJson(action)));
  if (foreign)
    return `saved plan refused: it asks to ${foreign.kind} ${foreign.key}, which the observed state does not call for (the file was edited, or written by another version); nothing was done`;
  return null;
}

/** The report of a run that stopped before it had a checkpoint. */
export function emptyReport(
  config: WorkspaceConfig,
  stage: RecoveryStage,
  reason: string,
  durationMs: number,
): RunReport {
  return {
    workspaceId: config.workspaceId,
    incarnation: '',
    stage,
    checkpoint: null,
    plan: null,
    outcomes: [],
    sessions: [],
    failureReason: reason,
    cleanup: null,
    stateUnsaved: null,
    withIssues: true,
    durationMs,
  };
}
