import { blindPartsOf, type CapturedSession, type Observation } from '../specs/actual-state.js';
import { captureEnvironment, captureShellCommand } from './capture-environment.js';
import { captureZellijScrollback } from './capture-zellij-scrollback.js';
import { observeZellijSessions, type ZellijObserveOptions } from './observe-zellij-sessions.js';
import { withSocketView } from './zellij-sockets.js';

/**
 * Captures the live zellij sessions for a checkpoint: cwd and shell of the first pane, the
 * variables it has beyond our own environment (a zellij server inherits its client's env, so the
 * server env would hide them), and the first terminal pane's scrollback (dump-screen).
 */
export async function captureZellijSessions(
  options: ZellijObserveOptions & { readonly env: NodeJS.ProcessEnv },
  signal?: AbortSignal,
): Promise<Observation<CapturedSession>> {
  const observed = await observeZellijSessions(options, signal);
  if (observed.status === 'unavailable') return observed;
  const blind = blindPartsOf(observed);
  // dump-screen asks every server first: a hung one is left out of its socket view.
  const hidden = new Set(blind.map((part) => part.name));
  const captured = await withSocketView(options.zellij, hidden, ({ target }) =>
    Promise.all(
      observed.items.map(async (session): Promise<CapturedSession | null> => {
        if (session.state !== 'live' || session.panePid === null || session.cwd === null)
          return null;
        const [environment, shellCommand, scrollback] = await Promise.all([
          captureEnvironment(session.panePid, options.env),
          captureShellCommand(session.panePid, options.env),
          captureZellijScrollback(target, session.name, options.timeoutMs, signal),
        ]);
        return {
          backend: 'zellij',
          name: session.name,
          workspaceId: session.workspaceId ?? environment?.workspaceId ?? null,
          sessionId: session.sessionId ?? environment?.sessionId ?? null,
          cwd: session.cwd,
          environment: environment?.added ?? {},
          shellCommand,
          scrollback: scrollback.text,
        };
      }),
    ),
  );
  const items = captured.filter((item): item is CapturedSession => item !== null);
  return blind.length > 0 ? { status: 'ok', items, blind } : { status: 'ok', items };
}
