import {
  type BlindPart,
  blindPartsOf,
  type CapturedSession,
  type Observation,
} from '../specs/actual-state.js';
import { captureEnvironment, captureShellCommand } from './capture-environment.js';
import { captureZellijWindows } from './capture-zellij-windows.js';
import { observeZellijSessions, type ZellijObserveOptions } from './observe-zellij-sessions.js';
import { withSocketView } from './zellij-sockets.js';

/**
 * Captures the live zellij sessions for a checkpoint: every tab and pane (capture-zellij-
 * windows.ts), the cwd and shell of the first pane process, and the variables it has beyond
 * our own environment (a zellij server inherits its client's env, so the server env would hide
 * them). A session that cannot be captured whole (its panes wait to run, its layout cannot be
 * read) is a named blind part: the checkpoint keeps its previous entry or names it, never
 * drops it.
 */
export async function captureZellijSessions(
  options: ZellijObserveOptions & { readonly env: NodeJS.ProcessEnv },
  signal?: AbortSignal,
): Promise<Observation<CapturedSession>> {
  const observed = await observeZellijSessions(options, signal);
  if (observed.status === 'unavailable') return observed;
  const blind: BlindPart[] = [...blindPartsOf(observed)];
  // Every client asks every server first: a hung one is left out of its socket view.
  const hidden = new Set(blind.map((part) => part.name));
  const captured = await withSocketView(options.zellij, hidden, ({ target }) =>
    Promise.all(
      observed.items.map(async (session): Promise<CapturedSession | null> => {
        if (session.state === 'waiting') {
          blind.push({
            name: session.name,
            reason: 'zellij resurrected it from its own layout and its panes wait to run',
          });
          return null;
        }
        if (session.state !== 'live' || session.panePid === null || session.cwd === null)
          return null;
        const [environment, shellCommand, windows] = await Promise.all([
          captureEnvironment(session.panePid, options.env),
          captureShellCommand(session.panePid, options.env),
          captureZellijWindows(target, session.name, session.cwd, options.timeoutMs, signal),
        ]);
        if (!windows.ok) {
          blind.push({
            name: session.name,
            reason: `zellij session ${session.name}: ${windows.reason}`,
          });
          return null;
        }
        return {
          backend: 'zellij',
          name: session.name,
          workspaceId: session.workspaceId ?? environment?.workspaceId ?? null,
          sessionId: session.sessionId ?? environment?.sessionId ?? null,
          cwd: session.cwd,
          environment: environment?.added ?? {},
          shellCommand,
          scrollback: '',
          windows: windows.windows,
        };
      }),
    ),
  );
  const items = captured.filter((item): item is CapturedSession => item !== null);
  // An exited session died with its server (each zellij session has its own): lost, not closed.
  const exited = observed.items.filter((s) => s.state === 'exited').map((s) => s.name);
  return {
    status: 'ok',
    items,
    ...(blind.length > 0 ? { blind } : {}),
    ...(exited.length > 0 ? { serverGone: exited } : {}),
  };
}
