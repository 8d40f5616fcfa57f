import { isMarkerName } from '../specs/markers.js';
import type { CapturedSession, Observation } from '../specs/actual-state.js';
import { captureEnvironment, captureShellCommand } from './capture-environment.js';
import { captureWindows, type ListedPane, listTmuxPanes } from './capture-tmux-panes.js';
import { observeTmuxSessions, type TmuxObserveOptions } from './observe-tmux-sessions.js';
import { runTmux } from './tmux-runner.js';
import { exactSession } from './tmux-target.js';

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
 * Captures every live tmux session of one server for a checkpoint: all its windows and panes
 * (one `list-panes -a` call; scrollback in batched calls; programs, cwds and variables from
 * /proc, never a tmux call per session unless /proc cannot be read), and, for the session
 * itself, its first pane's cwd, the variables that pane's shell has beyond the server's global
 * environment, and its shell command. A session that vanishes while
 * being captured is left out; one whose panes cannot be read is in `unreadable`, by name.
 */
export async function captureTmuxSessions(
  options: TmuxObserveOptions & { readonly env: NodeJS.ProcessEnv },
  signal?: AbortSignal,
): Promise<Observation<CapturedSession>> {
  const observed = await observeTmuxSessions(options, signal);
  if (observed.status === 'unavailable' || observed.items.length === 0) {
    return observed.status === 'ok' ? { status: 'ok', items: [], serverGone: true } : observed;
  }
  const call = { timeoutMs: options.timeoutMs, signal };
  const [global, listed] = await Promise.all([
    runTmux(options.tmux, [['show-environment', '-g']], call),
    listTmuxPanes(options.tmux, call),
  ]);
  const { serverPid, serverStartTime } = observed.items[0]!;
  if ('problem' in listed)
    return { status: 'unavailable', reason: `tmux list-panes: ${listed.problem}` };
  const base =
    global.status === 'exited' && global.exitCode === 0 ? parseShowEnvironment(global.stdout) : {};
  const firstPanes = new Map<string, ListedPane>();
  for (const pane of listed.panes) {
    const first = firstPanes.get(pane.session);
    const before = (a: ListedPane, b: ListedPane) =>
      a.window.index < b.window.index ||
      (a.window.index === b.window.index && a.pane.index < b.pane.index);
    if (!first || before(pane, first)) firstPanes.set(pane.session, pane);
  }
  const sessionEnvironment = async (name: string) => {
    const shown = await runTmux(
      options.tmux,
      [['show-environment', '-t', exactSession(name)]],
      call,
    );
    return shown.status === 'exited' && shown.exitCode === 0
      ? parseShowEnvironment(shown.stdout)
      : {};
  };
  const sessionEnvs = new Map<
    string,
    { environment: Record<string, string>; shellCommand: readonly string[] }
  >();
  const captured = await Promise.all(
    observed.items.map(async (session): Promise<CapturedSession | null> => {
      const first = firstPanes.get(session.name);
      if (!first || listed.unreadable.has(session.name)) return null;
      const [environment, shellCommand] = await Promise.all([
        captureEnvironment(first.pid, base),
        captureShellCommand(first.pid, options.env),
      ]);
      // tmux's own record of the session's variables, asked only when /proc does not say.
      const env = environment?.added ?? withoutMarkers(await sessionEnvironment(session.name));
      sessionEnvs.set(session.name, { environment: env, shellCommand });
      return {
        backend: 'tmux',
        name: session.name,
        workspaceId: session.workspaceId ?? environment?.workspaceId ?? null,
        instanceId: session.instanceId ?? environment?.instanceId ?? null,
        sessionId: session.sessionId ?? environment?.sessionId ?? null,
        tagged:
          session.workspaceId !== null && session.instanceId != null && session.sessionId !== null,
        cwd: first.pane.workingDirectory,
        environment: env,
        shellCommand,
        scrollback: '',
      };
    }),
  );
  const kept = captured.filter((item): item is CapturedSession => item !== null);
  const names = new Set(kept.map((session) => session.name));
  const windows = await captureWindows(
    options.tmux,
    listed.panes.filter((pane) => names.has(pane.session)),
    base,
    (name) => sessionEnvs.get(name) ?? { environment: {}, shellCommand: [] },
    call,
  );
  const items = kept.map((session) => ({ ...session, windows: windows.get(session.name) ?? [] }));
  return {
    status: 'ok',
    items,
    ...(serverPid && serverStartTime
      ? { server: { pid: serverPid, startTime: serverStartTime } }
      : {}),
    ...(listed.unreadable.size > 0
      ? {
          blind: [...listed.unreadable].map((name) => ({
            name,
            reason: 'its panes could not be read exactly',
          })),
        }
      : {}),
  };
}

function withoutMarkers(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !isMarkerName(key)));
}
