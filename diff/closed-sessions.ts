import type { ActualState, MuxSession, ServerIdentity } from '../specs/actual-state.js';
import type { DesiredState } from '../specs/desired-state.js';

/** Where a desired session was last seen running: its key and the server that ran it. */
export type SeenSessions = ReadonlyMap<string, ServerIdentity | null>;

const keyOf = (backend: string, name: string) => `${backend}:${name}`;

function serverOf(session: MuxSession): ServerIdentity | null {
  return session.serverPid && session.serverStartTime
    ? { pid: session.serverPid, startTime: session.serverStartTime }
    : null;
}

/** Desired sessions without their servers' identity (a recovery verified them running). */
export function seenWithoutServers(keys: Iterable<readonly [string, string]>): SeenSessions {
  return new Map([...keys].map(([backend, name]) => [keyOf(backend, name), null]));
}

/** The desired state without the sessions of `ids` (closed by the user: not restored). */
export function withoutSessions(desired: DesiredState, ids: ReadonlySet<string>): DesiredState {
  return ids.size === 0
    ? desired
    : { ...desired, sessions: desired.sessions.filter((s) => !ids.has(s.sessionId)) };
}

/** The desired sessions running now, with their servers: what the next pass compares with. */
export function seenSessions(desired: DesiredState, actual: ActualState): SeenSessions {
  const seen = new Map<string, ServerIdentity | null>();
  for (const entry of desired.sessions) {
    const observation = actual.sessions[entry.multiplexer];
    if (observation?.status !== 'ok') continue;
    const live = observation.items.find(
      (session) => session.name === entry.sessionName && session.state === 'live',
    );
    if (live) seen.set(keyOf(entry.multiplexer, entry.sessionName), serverOf(live));
  }
  return seen;
}

/**
 * The desired sessions the user closed on purpose: seen running by the previous pass, gone now
 * while the server that ran them still runs (tmux: the same server, by pid and start time,
 * serves other sessions; never on zellij, which cannot tell a quit from a crash). A session that
 * went with its server (a crash, a kill-server) is lost, not closed: it is restored. Anything
 * not observed, or not seen before, is never called closed.
 */
export function closedSessions(
  desired: DesiredState,
  seen: SeenSessions,
  actual: ActualState,
): string[] {
  const closed: string[] = [];
  for (const entry of desired.sessions) {
    const key = keyOf(entry.multiplexer, entry.sessionName);
    if (!seen.has(key)) continue;
    const observation = actual.sessions[entry.multiplexer];
    if (observation?.status !== 'ok') continue;
    if ((observation.blind ?? []).some((part) => part.name === entry.sessionName)) continue;
    if (observation.items.some((session) => session.name === entry.sessionName)) continue;
    // zellij lists a session the user quit as exited, as it lists one that crashed, and one
    // that crashed before it was first saved not at all: gone is never called closed there.
    if (entry.multiplexer === 'zellij') continue;
    const server = seen.get(key);
    // Seen without its server (right after a recovery): any session running is its server's.
    const stillRuns =
      server === null
        ? observation.items.length > 0
        : server !== undefined &&
          observation.items.some((session) => {
            const other = serverOf(session);
            return (
              other !== null && other.pid === server.pid && other.startTime === server.startTime
            );
          });
    if (stillRuns) closed.push(entry.sessionId);
  }
  return closed;
}
