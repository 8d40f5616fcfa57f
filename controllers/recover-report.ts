import type { RecoveryStage } from '../specs/events.js';
import type { Plan } from '../specs/plan.js';
import type { EventBus } from './event-bus.js';
import type { RunReport } from './run-report.js';
import type { WorkspaceConfig } from './workspace-config.js';

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

/** Why a saved plan may not be applied any more, or null when it still matches the world. */
export function staleness(saved: Plan, fresh: Plan): string | null {
  if (saved.workspaceId !== fresh.workspaceId)
    return `saved plan is for workspace ${saved.workspaceId}, not ${fresh.workspaceId}`;
  if (saved.generation !== fresh.generation) {
    return `saved plan is stale: it was computed from checkpoint generation ${saved.generation}, the newest valid one is ${fresh.generation}; run \`helios-recover plan\` again`;
  }
  if (saved.fingerprint !== fresh.fingerprint) {
    return 'saved plan is stale: the observed state changed since it was computed; run `helios-recover plan` again';
  }
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
    withIssues: true,
    durationMs,
  };
}
