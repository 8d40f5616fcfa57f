import type { RestorationResult, SessionResult } from '../specs/reports.js';
import type { DesiredState } from '../specs/desired-state.js';
import type { Multiplexer } from '../specs/checkpoint-spec.js';
import type { Outcome } from '../specs/outcome.js';
import type { Plan } from '../specs/plan.js';
import { sessionKey } from '../specs/resource-keys.js';

/** One result per session of the checkpoint (corrupt entries included), in checkpoint order. */
export function summarizeSessions(
  desired: DesiredState,
  plan: Plan | null,
  outcomes: readonly Outcome[],
  /** The backend every session was forced onto (`--backend`), if any. */
  backend?: Multiplexer | undefined,
): SessionResult[] {
  const byKey = new Map(outcomes.map((outcome) => [outcome.key, outcome]));
  const planned = new Set([
    ...(plan?.actions.map((action) => action.key) ?? []),
    ...(plan?.blocked.map((item) => item.key) ?? []),
  ]);
  const results: SessionResult[] = desired.corrupt
    .filter((entry) => entry.kind === 'session')
    .map((entry) => {
      const outcome = byKey.get(entry.key);
      return {
        sessionId: entry.id ?? `#${entry.index}`,
        sessionName: entry.id ?? `entry #${entry.index}`,
        terminalId: null,
        laneId: null,
        multiplexer: null,
        status: 'failed' as const,
        reason: 'checkpoint_corrupt',
        message: outcome?.message ?? entry.detail,
        remedy: outcome?.remedy,
      };
    });
  for (const session of desired.sessions) {
    const key = sessionKey(session.sessionId);
    const outcome = byKey.get(key);
    const base = {
      sessionId: session.sessionId,
      sessionName: session.sessionName,
      terminalId: session.terminalId,
      laneId: session.laneId,
      multiplexer: backend ?? session.multiplexer,
    };
    if (!outcome) {
      const pending = planned.has(key);
      results.push({
        ...base,
        status: pending ? 'pending' : 'in_sync',
        reason: pending ? 'not_applied' : 'in_sync',
        message: pending ? 'not applied yet' : 'live and bound to this incarnation',
      });
    } else if (outcome.status === 'succeeded') {
      results.push({
        ...base,
        status: outcome.restoredAs ?? 'respawned',
        reason: outcome.reason,
        message: outcome.message,
      });
    } else {
      results.push({
        ...base,
        status: 'failed',
        reason: outcome.reason,
        message: outcome.message,
        remedy: outcome.remedy,
      });
    }
  }
  return results;
}

/** Replaces older outcomes of the same key (a resumed run keeps what it did before). */
export function mergeOutcomes(previous: readonly Outcome[], next: readonly Outcome[]): Outcome[] {
  const byKey = new Map(previous.map((outcome) => [outcome.key, outcome]));
  for (const outcome of next) byKey.set(outcome.key, outcome);
  return [...byKey.values()];
}

/** The host app's view of one restore (RestorationPipeline): restored and failed sessions. */
export function restorationResultOf(
  desired: DesiredState,
  result: {
    readonly plan: Plan;
    readonly outcomes: readonly Outcome[];
    readonly durationMs: number;
  },
  backend?: Multiplexer | undefined,
): RestorationResult {
  const sessions = summarizeSessions(desired, result.plan, result.outcomes, backend);
  const identity = (s: SessionResult) => ({
    sessionId: s.sessionId,
    sessionName: s.sessionName,
    terminalId: s.terminalId,
    laneId: s.laneId,
    multiplexer: s.multiplexer,
  });
  return {
    restored: sessions.flatMap((s) =>
      s.status === 'reattached' || s.status === 'respawned' || s.status === 'in_sync'
        ? [{ ...identity(s), status: s.status }]
        : [],
    ),
    failed: sessions.flatMap((s) =>
      s.status === 'failed'
        ? [{ ...identity(s), reason: s.reason, message: s.message, remedy: s.remedy }]
        : [],
    ),
    duration: result.durationMs,
  };
}
