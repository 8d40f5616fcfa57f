import type { MuxSession, Observation } from '../specs/actual-state.js';
import { TMUX_OPTIONS } from '../specs/markers.js';
import { firstLine } from './run-command.js';
import { readStartTime } from './proc-start-time.js';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { runTmux } from './tmux-runner.js';
import { isNoServer, isServerExiting, type TmuxTarget } from './tmux-target.js';

export interface TmuxObserveOptions {
  readonly tmux: TmuxTarget;
  readonly timeoutMs: number;
}

const FIELDS = [
  '#{session_name}',
  `#{${TMUX_OPTIONS.workspace}}`,
  `#{${TMUX_OPTIONS.session}}`,
  `#{${TMUX_OPTIONS.incarnation}}`,
  '#{pane_pid}',
  '#{pid}',
  `#{${TMUX_OPTIONS.instance}}`,
  '#{session_created}',
  // Every pane of every window, in the same call: what the session is, for a review item.
  '#{W:#{P:#{pane_pid} }}',
  // Each window's index and pane count: what a survivor still has of its checkpoint.
  '#{W:#{window_index}:#{window_panes} }',
  '#{pane_current_path}',
];

/**
 * Parses `list-sessions -F` output produced with FIELDS (tab separated), each record ending in
 * `\t<endMark>\n`. A cwd may hold tabs and newlines; the end mark is random per call, so no
 * directory name can fake the end of a record (a newline alone would start a phantom session).
 */
export function parseTmuxSessions(stdout: string, endMark: string): MuxSession[] {
  return stdout
    .split(`\t${endMark}\n`)
    .filter((line) => line.length > 0)
    .map((line) => {
      const [
        name = '',
        workspaceId,
        sessionId,
        incarnation,
        panePid,
        serverPid,
        instance,
        created,
        panePids = '',
        windowShape = '',
        ...cwd
      ] = line.split('\t');
      const pid = Number(panePid);
      const server = Number(serverPid);
      const createdAt = Number(created);
      return {
        backend: 'tmux' as const,
        name,
        state: 'live' as const,
        workspaceId: workspaceId || null,
        instanceId: instance || null,
        sessionId: sessionId || null,
        incarnation: incarnation || null,
        panePid: Number.isInteger(pid) && pid > 0 ? pid : null,
        serverPid: Number.isInteger(server) && server > 0 ? server : null,
        createdAt: created && Number.isInteger(createdAt) && createdAt >= 0 ? createdAt : null,
        panes: [...new Set(panePids.split(' ').filter((p) => /^[1-9][0-9]*$/.test(p)))]
          .map((p) => ({ pid: Number(p), startTime: null }))
          .sort((a, b) => a.pid - b.pid),
        windows: windowShape
          .split(' ')
          .map((cell) => /^(\d+):(\d+)$/.exec(cell))
          .filter((match): match is RegExpExecArray => match !== null)
          .map((match) => ({ index: Number(match[1]), panes: Number(match[2]) })),
        cwd: cwd.join('\t') || null,
      };
    });
}

/**
 * Lists the sessions of one tmux server. No server on the socket is an empty list; a timeout or
 * any other failure is `unavailable`, never empty.
 */
export async function observeTmuxSessions(
  options: TmuxObserveOptions,
  signal?: AbortSignal,
): Promise<Observation<MuxSession>> {
  const endMark = `end-${randomBytes(8).toString('hex')}`;
  const list = () =>
    runTmux(options.tmux, [['list-sessions', '-F', [...FIELDS, endMark].join('\t')]], {
      timeoutMs: options.timeoutMs,
      signal,
    });
  let result = await list();
  for (
    let retry = 0;
    retry < 5 && result.status === 'exited' && isServerExiting(result.stderr);
    retry += 1
  ) {
    await sleep(50);
    result = await list();
  }
  if (result.status === 'failed') return { status: 'unavailable', reason: result.reason };
  if (result.exitCode === 0)
    return { status: 'ok', items: withStartTimes(parseTmuxSessions(result.stdout, endMark)) };
  if (isNoServer(result.stderr)) return { status: 'ok', items: [] };
  return {
    status: 'unavailable',
    reason: `tmux list-sessions exited ${result.exitCode}: ${firstLine(result.stderr) || 'no output'}`,
  };
}

/** The server's and the panes' /proc start times: which processes the pids are right now. */
function withStartTimes(sessions: readonly MuxSession[]): MuxSession[] {
  return sessions.map((session) => ({
    ...session,
    serverStartTime: session.serverPid ? readStartTime(session.serverPid) : null,
    panes: session.panes?.map((pane) => ({ ...pane, startTime: readStartTime(pane.pid) })),
  }));
}
