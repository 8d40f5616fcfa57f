import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { panesOf, shapeOf } from '../specs/session-windows.js';
import { shellAmong } from '../specs/shell-quoting.js';
import { zellijLayoutOf } from '../specs/zellij-layout.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { ensurePrivateSubdir } from '../store/private-dir.js';
import { armLaunchClaim, disarmLaunchClaim } from '../store/ledger-file.js';
import type { ClientContext, StepResult } from './client-context.js';
import type { SessionToCreate } from './multiplexer-clients.js';
import { readProcessTable } from './proc-table.js';
import { typePrograms } from './zellij-programs.js';
import { firstLine } from './run-command.js';
import { layoutExtent, readZellijLayout } from './zellij-dump.js';
import { bindZellijSession, replaceZellijSession } from './zellij-driver.js';
import { MAX_SOCKET_PATH_BYTES, zellijSocketPath } from './parse-zellij-sessions.js';
import { findStoppedServers } from './zellij-sockets.js';
import { findZellijServer, runZellij } from './zellij-target.js';

const SERVER_WAIT_MS = 3_000;
/** How long a new session may take to spawn its panes (a loaded machine is slow). */
const PANE_WAIT_MS = 10_000;

/** The user's shell for panes the user opens: the session's or ours, never a launcher. */
const userShellOf = (ctx: ClientContext, session: SessionToCreate['session']): string =>
  shellAmong([session.environment.SHELL, ctx.zellij.env.SHELL, ctx.env.SHELL]);

/**
 * Creates a zellij session in the background from a generated layout
 * (`zellij --layout FILE attach -b NAME`, specs/zellij-layout.ts): its tabs, splits and
 * shares, and each pane running its own launcher in its cwd (the launcher sets the env and
 * markers KDL cannot carry). The client runs with the user's `SHELL`, so every pane or tab
 * the user opens later gets a shell. Saved programs are typed into their panes' shells. An
 * EXITED session of that name, or one zellij resurrected whose panes wait to run, is replaced
 * (zellij's own layout kept first); "Session already exists" means converged.
 */
export async function createZellijSession(
  ctx: ClientContext,
  item: SessionToCreate,
): Promise<StepResult> {
  const { session, replacesExited } = item;
  const name = session.sessionName;
  const socket = zellijSocketPath(ctx.zellij.env, process.getuid?.() ?? 0, name);
  const socketBytes = Buffer.byteLength(socket);
  if (socketBytes > MAX_SOCKET_PATH_BYTES)
    return {
      ok: false,
      reason: `zellij session name ${name} is too long: its socket path ${socket} has ${socketBytes} bytes, at most ${MAX_SOCKET_PATH_BYTES} fit (shorten the name or set ZELLIJ_SOCKET_DIR)`,
    };
  const converge = async (created: boolean, notes: string[] = []): Promise<StepResult> => {
    const bound = await bindZellijSession(ctx, session, SERVER_WAIT_MS);
    if (!bound.ok) return bound;
    const message = created
      ? `created zellij session ${name}`
      : `zellij session ${name} already exists (converged)`;
    return notes.length > 0 ? { ok: true, message, notes } : { ok: true, message };
  };
  // A server already serving the name converges without asking zellij: zellij's own existence
  // check connects to the socket, and a busy server that answers late is taken as absent.
  if (!replacesExited && findZellijServer(await readProcessTable(), ctx.zellij, name))
    return converge(false);
  // `attach` asks every server whether the name is taken, so a stopped one hangs it.
  const stopped = await findStoppedServers(ctx.zellij);
  if (stopped.length > 0)
    return {
      ok: false,
      reason: `zellij cannot start session ${name} while a server is stopped (every zellij client asks every server first): ${stopped.map((server) => server.reason).join('; ')}`,
    };
  const notes: string[] = [];
  if (replacesExited) {
    const replaced = await replaceZellijSession(ctx, name);
    if (!replaced.ok) return replaced;
    if (replaced.kept) notes.push(await keptNote(name, replaced.kept, session));
  }
  const commands = new Map(
    item.panes?.map((pane) => [`${pane.windowIndex}.${pane.paneIndex}`, pane.command]),
  );
  const first = panesOf(session)[0]!;
  commands.set(`${first.window.index}.${first.pane.index}`, item.command);
  const layout = zellijLayoutOf(session, (window, pane) => {
    const command = commands.get(`${window.index}.${pane.index}`);
    if (!command) throw new Error(`no launcher for pane ${window.index}.${pane.index}`);
    return command;
  });
  // Beside the first pane's launcher (the state dir, or its private temp fallback).
  const launcher =
    item.command.length === 2 && item.command[1]!.endsWith('.sh') ? item.command[1]! : null;
  const layoutDir = launcher ? dirname(launcher) : join(ctx.stateDir, 'launch');
  const layoutFile = join(layoutDir, `${session.sessionId}.kdl`);
  try {
    await ensurePrivateSubdir(layoutDir);
    await writeFileAtomic(layoutFile, layout, 0o600, false);
  } catch (error) {
    return { ok: false, reason: `cannot write the layout of ${name}: ${(error as Error).message}` };
  }
  const scripts = [...commands.values()]
    .filter(
      (command) => command.length === 2 && command[0] === '/bin/sh' && command[1]!.endsWith('.sh'),
    )
    .map((command) => command[1]!);
  // Armed right before the server that runs them starts: each pane records itself once.
  await Promise.all(scripts.map((script) => armLaunchClaim(script)));
  const created = await runZellij(
    ctx.zellij,
    ['--layout', layoutFile, 'attach', '--create-background', name],
    {
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
      extraEnv: { SHELL: userShellOf(ctx, session) },
      cwd: session.workingDirectory,
    },
  );
  if (created.status === 'failed' || created.exitCode !== 0) {
    await rm(layoutFile, { force: true });
    await Promise.all(scripts.map((script) => disarmLaunchClaim(script)));
  }
  if (created.status === 'failed') return { ok: false, reason: created.reason };
  if (created.exitCode !== 0) {
    if (`${created.stderr}${created.stdout}`.includes('Session already exists'))
      return converge(false);
    return {
      ok: false,
      reason: `zellij attach -b ${name}: ${firstLine(created.stderr) || firstLine(created.stdout) || `exit ${created.exitCode}`}`,
    };
  }
  // zellij reads the layout file while it builds the tabs, after attach returns.
  const started = await waitForPanes(ctx, name, shapeOf(session).panes).finally(() =>
    rm(layoutFile, { force: true }),
  );
  if (!started.ok) return started;
  const typed = await typePrograms(ctx, item);
  return converge(true, [...notes, ...typed]);
}

/** What zellij's own saved layout held, when it held more than the checkpoint recreates. */
async function keptNote(
  name: string,
  kept: { file: string; text: string },
  session: SessionToCreate['session'],
): Promise<string> {
  const ours = shapeOf(session);
  let theirs: { tabs: number; panes: number } | null = null;
  try {
    theirs = layoutExtent(readZellijLayout(kept.text));
  } catch {
    // unreadable: offered as it is
  }
  const more =
    theirs && (theirs.tabs > ours.windows || theirs.panes > ours.panes)
      ? ` and holds more than the checkpoint (${theirs.tabs} tabs, ${theirs.panes} panes; recreated ${ours.windows} and ${ours.panes})`
      : '';
  return `zellij's own saved layout of ${name} is kept at ${kept.file}${more} (zellij --layout FILE opens it)`;
}

/**
 * Waits, by reading /proc only, until the new session's server has spawned every pane. A
 * zellij 0.45.1 server that a client connects to and leaves while it is still initialising
 * panics (`RemoveClient` before its session data exists): and `list-sessions` connects to
 * every socket. So nothing probes the session before its panes run.
 */
async function waitForPanes(ctx: ClientContext, name: string, panes: number): Promise<StepResult> {
  const deadline = Date.now() + PANE_WAIT_MS;
  for (;;) {
    const processes = await readProcessTable();
    const server = findZellijServer(processes, ctx.zellij, name);
    const running = server ? processes.filter((info) => info.ppid === server.pid).length : 0;
    if (server && running >= panes) return { ok: true, message: `zellij session ${name} started` };
    if (Date.now() >= deadline)
      return {
        ok: false,
        reason: server
          ? `zellij session ${name} started ${running} of ${panes} panes within ${PANE_WAIT_MS / 1000} s`
          : `zellij session ${name} has no server process ${PANE_WAIT_MS / 1000} s after attach -b`,
      };
    await sleep(25);
  }
}
