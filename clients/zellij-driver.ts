import { keepZellijLayout } from './zellij-resurrection.js';
import { armLaunchClaim, disarmLaunchClaim } from '../store/ledger-file.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { readProcessTable } from './proc-table.js';
import { type CommandResult, firstLine } from './run-command.js';
import { listZellijSessions } from './zellij-listing.js';
import { findStoppedServers, unreachableReason, withSocketView } from './zellij-sockets.js';
import { findPaneProcess, findZellijServer, runZellij } from './zellij-target.js';
import { MAX_SOCKET_PATH_BYTES, zellijSocketPath } from './parse-zellij-sessions.js';
import type { SessionEntrySpec } from '../specs/checkpoint-spec.js';
import {
  type ClientContext as ExecutorContext,
  type KillResult,
  type StepResult,
} from './client-context.js';
import { removeZellijBinding, writeZellijBinding } from './write-binding.js';

const SERVER_WAIT_MS = 3_000;
/** How long a new session may take to spawn its first pane (a loaded machine is slow). */
const PANE_WAIT_MS = 10_000;

/**
 * Runs a command that names existing session `name` so that a stopped server (which hangs every
 * zellij client, zellij-sockets.ts) does not hang it: through a socket view without the stopped
 * servers. Refused with the reason when `name`'s own server is the stopped one.
 */
async function runOnSession(
  ctx: ExecutorContext,
  name: string,
  args: string[],
): Promise<CommandResult> {
  const stopped = await findStoppedServers(ctx.zellij);
  const own = stopped.find((server) => server.name === name);
  if (own) return { status: 'failed', reason: own.reason };
  return withSocketView(ctx.zellij, new Set(stopped.map((server) => server.name)), (view) =>
    view.unreachable.includes(name)
      ? Promise.resolve({ status: 'failed' as const, reason: unreachableReason(name) })
      : runZellij(view.target, args, ctx),
  );
}

/** zellij prints some answers on stdout and some on stderr: the first line of either. */
const said = (result: { stdout: string; stderr: string }) =>
  firstLine(result.stderr) || firstLine(result.stdout);

/** True when zellij lists `name` live; null when zellij (or `name`'s own server) cannot be asked. */
async function isLive(ctx: ExecutorContext, name: string): Promise<boolean | null> {
  const listing = await listZellijSessions(ctx.zellij, ctx.timeoutMs, ctx.signal);
  if (listing.status === 'unavailable' || listing.blind.some((part) => part.name === name))
    return null;
  return listing.sessions.some((s) => s.name === name && s.state === 'live');
}

/**
 * Binds a live zellij session to this incarnation: verified by listing (never by a `--session`
 * action, which may exit 0 for unknown names), fenced by its server's pid and start time.
 */
export async function bindZellijSession(
  ctx: ExecutorContext,
  session: SessionEntrySpec,
  waitMs = 0,
): Promise<StepResult> {
  const name = session.sessionName;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const live = await isLive(ctx, name);
    if (live === null)
      return { ok: false, reason: `zellij could not list sessions to verify ${name}` };
    const server = live ? findZellijServer(await readProcessTable(), ctx.zellij, name) : null;
    if (server) {
      await writeZellijBinding(ctx.stateDir, {
        name,
        workspaceId: ctx.workspaceId,
        instanceId: ctx.instanceId,
        sessionId: session.sessionId,
        incarnation: ctx.incarnation,
        serverPid: server.pid,
        serverStartTime: server.startTime,
      });
      return { ok: true, message: `reattached zellij session ${name}` };
    }
    if (Date.now() >= deadline) {
      return {
        ok: false,
        reason: live
          ? `no server process found for zellij session ${name}`
          : `zellij session ${name} is not live`,
      };
    }
    await sleep(50);
  }
}

/**
 * Creates a zellij session in the background. zellij 0.44+ ignores `attach -b NAME options
 * --default-cwd/--default-shell` (only top-level options reach the server it starts), but its
 * first pane runs `$SHELL` in the client's cwd with the client's env: so the client is started
 * in the session's cwd with `SHELL` = the launcher, which sets the session's env and markers and
 * execs its command. An EXITED session of that name is deleted first; "Session already exists"
 * means converged. A name whose socket path would be too long fails up front.
 */
export async function createZellijSession(
  ctx: ExecutorContext,
  session: SessionEntrySpec,
  script: string,
  replacesExited: boolean,
): Promise<StepResult> {
  const name = session.sessionName;
  const socket = zellijSocketPath(ctx.zellij.env, process.getuid?.() ?? 0, name);
  const socketBytes = Buffer.byteLength(socket);
  if (socketBytes > MAX_SOCKET_PATH_BYTES)
    return {
      ok: false,
      reason: `zellij session name ${name} is too long: its socket path ${socket} has ${socketBytes} bytes, at most ${MAX_SOCKET_PATH_BYTES} fit (shorten the name or set ZELLIJ_SOCKET_DIR)`,
    };
  const converge = async (created: boolean): Promise<StepResult> => {
    const bound = await bindZellijSession(ctx, session, SERVER_WAIT_MS);
    if (!bound.ok) return bound;
    return {
      ok: true,
      message: created
        ? `created zellij session ${name}`
        : `zellij session ${name} already exists (converged)`,
    };
  };
  // A server already serving the name converges without asking zellij: zellij's own existence
  // check connects to the socket, and a busy server that answers late is taken as absent (seen
  // with 0.45.1 under load: `attach -b` of a live session exited 0 without "already exists").
  if (!replacesExited && findZellijServer(await readProcessTable(), ctx.zellij, name))
    return converge(false);
  // `attach` asks every server whether the name is taken, so a stopped one hangs it; and a new
  // server cannot start through a socket view (it would listen in the private dir): refused.
  const stopped = await findStoppedServers(ctx.zellij);
  if (stopped.length > 0)
    return {
      ok: false,
      reason: `zellij cannot start session ${name} while a server is stopped (every zellij client asks every server first): ${stopped.map((server) => server.reason).join('; ')}`,
    };
  let kept: string | null = null;
  if (replacesExited) {
    // zellij's own layout may hold more than the checkpoint (tabs, panes): kept, then deleted.
    try {
      kept = await keepZellijLayout(ctx.zellij.env, name);
    } catch (error) {
      return {
        ok: false,
        reason: `zellij's saved layout of ${name} could not be kept (${(error as Error).message}): the EXITED session is left as it is`,
      };
    }
    const deleted = await runOnSession(ctx, name, ['delete-session', name]);
    if (deleted.status === 'failed') return { ok: false, reason: deleted.reason };
    if (deleted.exitCode !== 0 && deleted.exitCode !== 2) {
      return {
        ok: false,
        reason: `zellij delete-session ${name}: ${said(deleted) || `exit ${deleted.exitCode}`}`,
      };
    }
    await removeZellijBinding(ctx.stateDir, name);
  }
  // Armed right before the server that runs it starts: its first pane records itself once.
  await armLaunchClaim(script);
  const created = await runZellij(ctx.zellij, ['attach', '--create-background', name], {
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    extraEnv: { SHELL: script },
    cwd: session.workingDirectory,
  });
  if (created.status === 'failed') return { ok: false, reason: created.reason };
  if (created.exitCode !== 0) {
    if (`${created.stderr}${created.stdout}`.includes('Session already exists')) {
      // A live server runs this launcher for every new pane: it must never claim.
      await disarmLaunchClaim(script);
      return converge(false);
    }
    return {
      ok: false,
      reason: `zellij attach -b ${name}: ${said(created) || `exit ${created.exitCode}`}`,
    };
  }
  const started = await waitForPane(ctx, name);
  if (!started.ok) return started;
  const done = await converge(true);
  return done.ok && kept
    ? {
        ...done,
        notes: [
          `zellij's own saved layout of ${name} is kept at ${kept} (zellij --layout FILE opens it)`,
        ],
      }
    : done;
}

/**
 * Waits, by reading /proc only, until the new session's server has spawned its first pane. A
 * zellij 0.45.1 server that a client connects to and leaves while it is still initialising
 * panics (`RemoveClient` before its session data exists, zellij-server lib.rs:1462): and
 * `list-sessions` connects to every socket. So nothing probes the session before its pane runs.
 */
async function waitForPane(ctx: ExecutorContext, name: string): Promise<StepResult> {
  const deadline = Date.now() + PANE_WAIT_MS;
  for (;;) {
    const processes = await readProcessTable();
    const server = findZellijServer(processes, ctx.zellij, name);
    if (server && findPaneProcess(processes, server))
      return { ok: true, message: `zellij session ${name} started` };
    if (Date.now() >= deadline)
      return {
        ok: false,
        reason: server
          ? `zellij session ${name} started no pane within ${PANE_WAIT_MS / 1000} s`
          : `zellij session ${name} has no server process ${PANE_WAIT_MS / 1000} s after attach -b`,
      };
    await sleep(25);
  }
}

/**
 * Kills a zellij session and waits until the listing no longer shows it live: `kill-session`
 * returns before the server is gone. `No session named ... found` (on stdout) is already gone.
 */
export async function killZellijSession(ctx: ExecutorContext, name: string): Promise<KillResult> {
  const result = await runOnSession(ctx, name, ['kill-session', name]);
  if (result.status === 'failed') return { ok: false, reason: result.reason };
  const alreadyGone = /No session named/.test(`${result.stdout}${result.stderr}`);
  if (result.exitCode !== 0 && !alreadyGone)
    return {
      ok: false,
      reason: `zellij kill-session ${name}: ${said(result) || `exit ${result.exitCode}`}`,
    };
  const deadline = Date.now() + ctx.timeoutMs;
  for (;;) {
    const live = await isLive(ctx, name);
    if (live === false) return { ok: true, alreadyGone };
    if (live === null)
      return { ok: false, reason: `zellij could not list sessions to confirm ${name} is gone` };
    if (Date.now() >= deadline)
      return {
        ok: false,
        reason: `zellij session ${name} still live ${ctx.timeoutMs} ms after kill-session`,
      };
    await sleep(50);
  }
}
