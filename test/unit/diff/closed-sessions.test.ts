import { describe, expect, it } from 'vitest';
import {
  closedSessions,
  seenSessions,
  seenWithoutServers,
  withoutSessions,
} from '../../../diff/closed-sessions.js';
import type { ActualState, MuxSession } from '../../../specs/actual-state.js';
import { aDesiredState, aLiveSession, aSession, anActualState } from '../../support/builders.js';

const desired = aDesiredState({
  sessions: [aSession({ sessionId: 'a' }), aSession({ sessionId: 'b' })],
});
const onServer = (name: string, pid: number): MuxSession =>
  aLiveSession({ name: `helios-${name}`, serverPid: pid, serverStartTime: 7 });
const tmux = (...items: MuxSession[]): ActualState =>
  anActualState({ sessions: { tmux: { status: 'ok', items } } });

describe('closedSessions: closed by the user, or lost with the server', () => {
  const before = tmux(onServer('a', 10), onServer('b', 10));
  const seen = seenSessions(desired, before);

  it('calls a session closed when its own server still runs other sessions', () => {
    expect(closedSessions(desired, seen, tmux(onServer('a', 10)))).toEqual(['b']);
  });

  it('calls nothing closed when the server is gone or is another one (a crash)', () => {
    expect(closedSessions(desired, seen, tmux())).toEqual([]);
    expect(closedSessions(desired, seen, tmux(onServer('a', 11)))).toEqual([]);
  });

  it('never calls closed what it did not see running, nor what it cannot see', () => {
    expect(closedSessions(desired, new Map(), tmux(onServer('a', 10)))).toEqual([]);
    const blind = anActualState({
      sessions: {
        tmux: {
          status: 'ok',
          items: [onServer('a', 10)],
          blind: [{ name: 'helios-b', reason: 'hung' }],
        },
      },
    });
    expect(closedSessions(desired, seen, blind)).toEqual([]);
    const unavailable = anActualState({
      sessions: { tmux: { status: 'unavailable', reason: 'timeout' } },
    });
    expect(closedSessions(desired, seen, unavailable)).toEqual([]);
  });

  it('takes any running session as the server of one seen without it (right after recovery)', () => {
    const recovered = seenWithoutServers([['tmux', 'helios-b']]);
    expect(closedSessions(desired, recovered, tmux(onServer('a', 12)))).toEqual(['b']);
    expect(closedSessions(desired, recovered, tmux())).toEqual([]);
  });

  it('leaves the closed ones out of the desired state', () => {
    expect(withoutSessions(desired, new Set(['b'])).sessions.map((s) => s.sessionId)).toEqual([
      'a',
    ]);
    expect(withoutSessions(desired, new Set())).toBe(desired);
  });
});
