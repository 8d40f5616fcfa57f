import type { MuxSession, Observation } from '../specs/actual-state.js';
import { readZellijBindings } from '../store/binding-files.js';
import { isNoZellijSessions, parseZellijSessions } from './parse-zellij-sessions.js';
import { readProcessCwd, readProcessTable } from './proc-table.js';
import { firstLine, runCommand } from './run-command.js';
import {
  checkZellijVersion,
  findPaneProcess,
  findZellijServer,
  type ZellijTarget,
  zellijCommand,
  zellijEnv,
} from './zellij-target.js';

export interface ZellijObserveOptions {
  readonly zellij: ZellijTarget;
  readonly timeoutMs: number;
  /** State dir holding the bindings of adopted sessions. */
  readonly stateDir: string;
}

/**
 * Lists zellij sessions with `list-sessions -n`. "No active zellij sessions found." is an empty
 * list; a timeout or other failure is `unavailable`. Live sessions are matched to their server
 * process, and to a binding only when the server's pid and start time match it.
 */
export async function observeZellijSessions(
  options: ZellijObserveOptions,
  signal?: AbortSignal,
): Promise<Observation<MuxSession>> {
  const unsupported = await checkZellijVersion(options.zellij, options.timeoutMs);
  if (unsupported !== null) return { status: 'unavailable', reason: unsupported };
  const result = await runCommand(zellijCommand(options.zellij), ['list-sessions', '-n'], {
    timeoutMs: options.timeoutMs,
    signal,
    env: zellijEnv(options.zellij),
  });
  if (result.status === 'failed') return { status: 'unavailable', reason: result.reason };
  if (result.exitCode !== 0) {
    if (isNoZellijSessions(result.stderr)) return { status: 'ok', items: [] };
    return {
      status: 'unavailable',
      reason: `zellij list-sessions exited ${result.exitCode}: ${firstLine(result.stderr) || 'no output'}`,
    };
  }
  const listed = parseZellijSessions(result.stdout);
  if (!listed.some((session) => session.state === 'live')) {
    return {
      status: 'ok',
      items: listed.map((session) => ({ ...unbound(session.name), state: session.state })),
    };
  }
  const [processes, bindings] = await Promise.all([
    readProcessTable(),
    readZellijBindings(options.stateDir),
  ]);
  const bindingByName = new Map(
    bindings.status === 'ok' ? bindings.items.map((b) => [b.name, b]) : [],
  );
  const items = await Promise.all(
    listed.map(async (session): Promise<MuxSession> => {
      if (session.state === 'exited') return { ...unbound(session.name), state: 'exited' };
      const server = findZellijServer(processes, options.zellij, session.name);
      const pane = server ? findPaneProcess(processes, server) : null;
      const binding = bindingByName.get(session.name);
      const bound =
        binding !== undefined &&
        server !== null &&
        binding.serverPid === server.pid &&
        binding.serverStartTime === server.startTime;
      return {
        ...unbound(session.name),
        workspaceId: bound ? binding.workspaceId : null,
        instanceId: bound ? (binding.instanceId ?? null) : null,
        sessionId: bound ? binding.sessionId : null,
        incarnation: bound ? binding.incarnation : null,
        panePid: pane?.pid ?? null,
        serverPid: server?.pid ?? null,
        cwd: pane ? await readProcessCwd(pane.pid) : null,
      };
    }),
  );
  return { status: 'ok', items };
}

function unbound(name: string): MuxSession {
  return {
    backend: 'zellij',
    name,
    state: 'live',
    workspaceId: null,
    sessionId: null,
    incarnation: null,
    panePid: null,
    cwd: null,
  };
}
