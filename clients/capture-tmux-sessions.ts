import { isMarkerName } from '../specs/markers.js';
import type { CapturedSession, Observation } from '../specs/actual-state.js';
import { captureEnvironment, captureShellCommand } from './capture-environment.js';
import { observeTmuxSessions, type TmuxObserveOptions } from './observe-tmux-sessions.js';
import { runTmux } from './tmux-runner.js';
import { exactSession } from './tmux-target.js';

/** Lines of history captured per pane (the checkpoint keeps at most 64 KiB of it). */
const HISTORY_LINES = 2000;

/** `show-environment` output (`K=V`, `-K` for removed) as a record. */
export function parseShowEnvironment(stdout: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && !line.startsWith('-')) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/**
 * Captures every live tmux session of one server for a checkpoint: cwd of the active pane, the
 * variables the pane's shell has beyond the server's global environment, its shell command, and
 * the last lines of its scrollback. A session that vanishes while being captured is left out.
 */
export async function captureTmuxSessions(
  options: TmuxObserveOptions & { readonly env: NodeJS.ProcessEnv },
  signal?: AbortSignal,
): Promise<Observation<CapturedSession>> {
  const observed = await observeTmuxSessions(options, signal);
  if (observed.status === 'unavailable' || observed.items.length === 0) {
    return observed.status === 'ok' ? { status: 'ok', items: [] } : observed;
  }
  const call = { timeoutMs: options.timeoutMs, signal };
  const global = await runTmux(options.tmux, [['show-environment', '-g']], call);
  const base =
    global.status === 'exited' && global.exitCode === 0 ? parseShowEnvironment(global.stdout) : {};
  const captured = await Promise.all(
    observed.items.map(async (session): Promise<CapturedSession | null> => {
      if (session.panePid === null || session.cwd === null) return null;
      const target = exactSession(session.name);
      const [environment, shellCommand, history, sessionEnv] = await Promise.all([
        captureEnvironment(session.panePid, base),
        captureShellCommand(session.panePid, options.env),
        runTmux(
          options.tmux,
          [['capture-pane', '-p', '-J', '-S', `-${HISTORY_LINES}`, '-t', target]],
          call,
        ),
        runTmux(options.tmux, [['show-environment', '-t', target]], call),
      ]);
      const fallbackEnv =
        sessionEnv.status === 'exited' && sessionEnv.exitCode === 0
          ? parseShowEnvironment(sessionEnv.stdout)
          : {};
      return {
        backend: 'tmux',
        name: session.name,
        workspaceId: session.workspaceId ?? environment?.workspaceId ?? null,
        instanceId: session.instanceId ?? environment?.instanceId ?? null,
        sessionId: session.sessionId ?? environment?.sessionId ?? null,
        cwd: session.cwd,
        environment: environment?.added ?? withoutMarkers(fallbackEnv),
        shellCommand,
        scrollback:
          history.status === 'exited' && history.exitCode === 0 ? history.stdout.trimEnd() : '',
      };
    }),
  );
  return { status: 'ok', items: captured.filter((item): item is CapturedSession => item !== null) };
}

function withoutMarkers(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !isMarkerName(key)));
}
