import {
  closedSessions,
  type SeenSessions,
  seenSessions,
  seenWithoutServers,
  withoutSessions,
} from '../../diff/closed-sessions.js';
import type { ActualState } from '../../specs/actual-state.js';
import type { DesiredState } from '../../specs/desired-state.js';
import type { RunReport } from '../../specs/reports.js';

/**
 * The daemon's memory of intent: a session gone while its server runs was closed by the user
 * (left out of every later pass and dropped by the next checkpoint, never respawned); one gone
 * with its server was lost (respawned). Closed ids are forgotten once the checkpoint lacks them.
 */
export function trackSessionIntent() {
  let seen: SeenSessions = new Map();
  const closed = new Set<string>();
  let closedInPass: string[] = [];
  return {
    /** The sessions the recovery brought back count as seen (their servers not yet known). */
    recovered(report: RunReport): void {
      seen = seenWithoutServers(
        report.sessions
          .filter((session) => session.status !== 'failed' && session.status !== 'pending')
          .map((session) => [session.multiplexer ?? 'tmux', session.sessionName] as const),
      );
    },
    /** `desired` without what the user closed. */
    intended(desired: DesiredState): DesiredState {
      for (const id of closed)
        if (!desired.sessions.some((session) => session.sessionId === id)) closed.delete(id);
      return withoutSessions(desired, closed);
    },
    /** A reconcile's `narrow`: what this pass plans toward, once it has seen the world. */
    narrow(desired: DesiredState): (actual: ActualState) => DesiredState {
      closedInPass = [];
      return (actual) => {
        // A session running under a closed id (renamed, or opened again) is wanted after all.
        for (const [key] of seenSessions(desired, actual)) {
          const entry = desired.sessions.find((s) => `${s.multiplexer}:${s.sessionName}` === key);
          if (entry) closed.delete(entry.sessionId);
        }
        const intended = withoutSessions(desired, closed);
        closedInPass = closedSessions(intended, seen, actual);
        for (const id of closedInPass) closed.add(id);
        seen = seenSessions(intended, actual);
        return withoutSessions(desired, closed);
      };
    },
    /** Whether the last pass found a session closed (the checkpoint is written at once). */
    closedInPass: (): boolean => closedInPass.length > 0,
  };
}
