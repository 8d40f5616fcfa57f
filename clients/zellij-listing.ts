import type { BlindPart } from '../specs/actual-state.js';
import {
  isNoZellijSessions,
  parseZellijSessions,
  type ZellijListedSession,
} from './parse-zellij-sessions.js';
import { readProcessTable } from './proc-table.js';
import { firstLine } from './run-command.js';
import {
  findStoppedServers,
  type HungServer,
  socketNames,
  type SocketView,
  unreachableReason,
  withSocketView,
  zellijServersByName,
} from './zellij-sockets.js';
import { runZellij, type ZellijTarget } from './zellij-target.js';

/** What `list-sessions` showed, and the servers it could not ask (named, never absent). */
export type ZellijListing =
  | {
      readonly status: 'ok';
      readonly sessions: readonly ZellijListedSession[];
      readonly blind: readonly BlindPart[];
    }
  | { readonly status: 'unavailable'; readonly reason: string };

type Once =
  | { readonly kind: 'listed'; readonly sessions: ZellijListedSession[] }
  | { readonly kind: 'timed_out' | 'unavailable'; readonly reason: string };

/** How many single-socket listings run at once when the whole listing hangs. */
const PROBES_AT_ONCE = 16;

/**
 * Lists zellij sessions so that one hung server blinds only itself. Servers /proc shows stopped
 * are known hung at once and left out of the listing (a socket view). If the listing still times
 * out, a server hangs some other way: each socket is then listed alone, all at once, and those
 * that time out are blind. Blind sessions are never listed (not even as EXITED: zellij would show
 * a hung session's resurrection layout). `unavailable` when zellij itself cannot list.
 */
export async function listZellijSessions(
  target: ZellijTarget,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ZellijListing> {
  const stopped = await findStoppedServers(target);
  const hidden = new Set(stopped.map((server) => server.name));
  const unreachable: HungServer[] = [];
  const listWhole = () =>
    withSocketView(target, hidden, (view) => {
      unreachable.length = 0;
      for (const name of view.unreachable)
        unreachable.push({ name, pid: null, reason: unreachableReason(name) });
      return listOnce(view, timeoutMs, signal);
    });
  let whole = await listWhole();
  // A busy server can be missed by a listing while its process runs: ask again, twice at most.
  for (let retry = 0; retry < 2 && whole.kind === 'listed'; retry += 1) {
    const listed = new Set(whole.sessions.map((session) => session.name));
    const running = [...zellijServersByName(await readProcessTable(), target).keys()];
    if (running.every((name) => hidden.has(name) || listed.has(name))) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
    whole = await listWhole();
  }
  if (whole.kind === 'unavailable') return { status: 'unavailable', reason: whole.reason };
  if (whole.kind === 'listed') return listing(whole.sessions, [...stopped, ...unreachable]);
  const names = (await socketNames(target)).filter((name) => !hidden.has(name));
  const probes = await mapLimit(names, PROBES_AT_ONCE, (name) =>
    withSocketView(target, new Set(), (view) => listOnce(view, timeoutMs, signal), new Set([name])),
  );
  // No socket, or none answered alone: it is zellij that hangs, not one server.
  if (probes.every((probe) => probe.kind !== 'listed'))
    return { status: 'unavailable', reason: whole.reason };
  const servers = zellijServersByName(await readProcessTable(), target);
  const hung = [...stopped, ...unreachable];
  const live: ZellijListedSession[] = [];
  let exited: ZellijListedSession[] = [];
  for (const [i, probe] of probes.entries()) {
    const name = names[i]!;
    if (probe.kind === 'listed') {
      live.push(...probe.sessions.filter((s) => s.name === name && s.state === 'live'));
      exited = probe.sessions.filter((s) => s.state === 'exited');
    } else {
      const pid = servers.get(name)?.pid ?? null;
      const server = `the zellij server of session ${name}${pid === null ? '' : ` (pid ${pid})`}`;
      hung.push({
        name,
        pid,
        reason:
          probe.kind === 'timed_out'
            ? `${server} did not answer within ${timeoutMs} ms`
            : `${server} could not be listed alone: ${probe.reason}`,
      });
    }
  }
  const liveNames = new Set(live.map((s) => s.name));
  return listing([...live, ...exited.filter((s) => !liveNames.has(s.name))], hung);
}

function listing(sessions: readonly ZellijListedSession[], hung: readonly HungServer[]) {
  const blindNames = new Set(hung.map((server) => server.name));
  return {
    status: 'ok' as const,
    sessions: sessions.filter((session) => !blindNames.has(session.name)),
    blind: hung.map(({ name, reason }) => ({ name, reason })),
  };
}

/** One `list-sessions -n` through a view. "No active zellij sessions found." is empty. */
async function listOnce(view: SocketView, timeoutMs: number, signal?: AbortSignal): Promise<Once> {
  const result = await runZellij(view.target, ['list-sessions', '-n'], { timeoutMs, signal });
  if (result.status === 'failed')
    // run-command says "timed out after N ms" when it abandoned the command at its deadline.
    return {
      kind: / timed out after /.test(result.reason) ? 'timed_out' : 'unavailable',
      reason: result.reason,
    };
  if (result.exitCode !== 0) {
    if (isNoZellijSessions(result.stderr)) return { kind: 'listed', sessions: [] };
    return {
      kind: 'unavailable',
      reason: `zellij list-sessions exited ${result.exitCode}: ${firstLine(result.stderr) || 'no output'}`,
    };
  }
  return { kind: 'listed', sessions: parseZellijSessions(result.stdout) };
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
