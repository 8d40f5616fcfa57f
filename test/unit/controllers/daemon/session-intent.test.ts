import { describe, expect, it } from 'vitest';
import { trackSessionIntent } from '../../../../controllers/daemon/session-intent.js';
import type { ActualState, MuxSession } from '../../../../specs/actual-state.js';
import type { RunReport } from '../../../../specs/reports.js';
import { aDesiredState, aLiveSession, aSession, anActualState } from '../../../support/builders.js';

const live = (name: string): MuxSession =>
  aLiveSession({ name, serverPid: 10, serverStartTime: 7 });
const tmux = (...items: MuxSession[]): ActualState =>
  anActualState({ sessions: { tmux: { status: 'ok', items } } });
const ids = (desired: { sessions: readonly { sessionId: string }[] }) =>
  desired.sessions.map((s) => s.sessionId);

describe("the daemon's memory of intent", () => {
  const desired = aDesiredState({
    sessions: [aSession({ sessionId: 'a' }), aSession({ sessionId: 'b' })],
  });

  it('leaves out a session closed while its server runs, from this pass on', () => {
    const intent = trackSessionIntent();
    intent.narrow(desired)(tmux(live('helios-a'), live('helios-b')));
    expect(ids(intent.narrow(desired)(tmux(live('helios-a'))))).toEqual(['a']);
    expect(intent.closedInPass()).toBe(true);
    expect(ids(intent.intended(desired))).toEqual(['a']);
    expect(ids(intent.narrow(desired)(tmux(live('helios-a'))))).toEqual(['a']);
    expect(intent.closedInPass()).toBe(false);
  });

  it('wants a closed id again once a session runs under it (renamed, opened again)', () => {
    const intent = trackSessionIntent();
    intent.narrow(desired)(tmux(live('helios-a'), live('helios-b')));
    intent.narrow(desired)(tmux(live('helios-a')));
    // The checkpoint now names id b by its new name, and it runs.
    const renamed = aDesiredState({
      sessions: [aSession({ sessionId: 'a' }), aSession({ sessionId: 'b', sessionName: 'api2' })],
    });
    expect(ids(intent.narrow(renamed)(tmux(live('helios-a'), live('api2'))))).toEqual(['a', 'b']);
    expect(ids(intent.intended(renamed))).toEqual(['a', 'b']);
  });

  it('counts what the recovery brought back as seen, its server not yet known', () => {
    const intent = trackSessionIntent();
    intent.recovered({
      sessions: [
        { sessionName: 'helios-a', multiplexer: 'tmux', status: 'respawned' },
        { sessionName: 'helios-b', multiplexer: 'tmux', status: 'failed' },
      ],
    } as unknown as RunReport);
    expect(ids(intent.narrow(desired)(tmux(live('helios-x'))))).toEqual(['b']);
  });
});
