import type { MuxSession, Observation } from '../specs/actual-state.js';
import { readZellijBindings } from '../store/binding-files.js';
import { PANE_MARKER } from '../specs/markers.js';
import { readProcessCwd, readProcessEnviron, readProcessTable } from './proc-table.js';
import { listZellijSessions } from './zellij-listing.js';
import { withSocketView } from './zellij-sockets.js';
import {
  checkZellijVersion,
  findPaneProcess,
  findZellijServer,
  runSessionAction,
  type ZellijTarget,
} from './zellij-target.js';
import { hasTerminalPane, isWaiting, parseListedPanes } from './zellij-windows.js';

export interface ZellijObserveOptions {
  readonly zellij: ZellijTarget;
  readonly timeoutMs: number;
  /** State dir holding the bindings of adopted sessions. */
  readonly stateDir: string;
}

/**
 * Lists zellij sessions ("No active zellij sessions found." is an empty
 * list; a timeout or other failure of zellij itself is `unavailable`; a hung server is a named
 * blind part, and the others are listed). Live sessions are matched to their server process, and
 * to a binding only when the server's pid and start time match it. A live session whose server
 * runs no pane process is `waiting` (specs/actual-state.ts).
 */
export async function observeZellijSessions(
  options: ZellijObserveOptions,
  signal?: AbortSignal,
): Promise<Observation<MuxSession>> {
  const unsupported = await checkZellijVersion(options.zellij, options.timeoutMs);
  if (unsupported !== null) return { status: 'unavailable', reason: unsupported };
  const result = await listZellijSessions(options.zellij, options.timeoutMs, signal);
  if (result.status === 'unavailable') return result;
  const { sessions: listed, blind } = result;
  const seen = (items: MuxSession[]): Observation<MuxSession> =>
    blind.length > 0 ? { status: 'ok', items, blind } : { status: 'ok', items };
  if (!listed.some((session) => session.state === 'live'))
    return seen(listed.map((session) => ({ ...unbound(session.name), state: session.state })));
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
        // zellij says when a session was created only as "5m ago": its server's start tells.
        serverStartTime: server?.startTime ?? null,
        createdAt: null,
        panes: server
          ? processes
              .filter((info) => info.ppid === server.pid)
              .map((info) => ({ pid: info.pid, startTime: info.startTime }))
              .sort((a, b) => a.pid - b.pid)
          : [],
        cwd: pane ? await readProcessCwd(pane.pid) : null,
        // Which of our panes still run: each launcher's pane marker (a session bound to us).
        ...(bound && server ? { paneMarkers: await paneMarkersOf(processes, server.pid) } : {}),
      };
    }),
  );
  // A server bound to us is one we started; any other may be one zellij resurrected.
  const hidden = new Set(blind.map((part) => part.name));
  const checked = await withSocketView(options.zellij, hidden, ({ target }) =>
    Promise.all(
      items.map(async (item) =>
        item.state === 'live' && item.incarnation === null && item.serverPid !== null
          ? resurrectionOf(item, target, options.timeoutMs, signal)
          : item,
      ),
    ),
  );
  return seen(checked);
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

/**
 * A live session as it is: `waiting` with its pane counts when any terminal pane waits to run
 * (zellij resurrected it), else unchanged. A session whose panes cannot be listed and whose
 * server runs no pane is waiting too (nothing runs in it).
 */
async function resurrectionOf(
  item: MuxSession,
  target: ZellijTarget,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<MuxSession> {
  const running = item.panes?.length ?? 0;
  const listing = await runSessionAction(
    target,
    item.name,
    ['list-panes', '--json', '--all'],
    timeoutMs,
    signal,
    hasTerminalPane,
  );
  const panes = listing.status === 'exited' ? parseListedPanes(listing.stdout) : null;
  const waiting = panes?.filter(isWaiting).length ?? (running === 0 ? 1 : 0);
  return waiting > 0 ? { ...item, state: 'waiting', waiting: { waiting, running } } : item;
}

/** The pane markers (`W.P`) of a server's pane processes; undefined when one is unreadable. */
async function paneMarkersOf(
  processes: readonly { pid: number; ppid: number }[],
  serverPid: number,
): Promise<string[] | undefined> {
  const children = processes.filter((info) => info.ppid === serverPid);
  const environs = await Promise.all(children.map((info) => readProcessEnviron(info.pid)));
  // One that cannot be read (gone meanwhile, another user's): which panes run is unknown.
  if (environs.some((env) => env === null)) return undefined;
  return environs
    .map((env) => env?.[PANE_MARKER])
    .filter((marker): marker is string => marker !== undefined)
    .sort();
}
