import { keepZellijLayout } from './zellij-resurrection.js';
import { isWaiting, parseListedPanes } from './zellij-windows.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { readProcessTable } from './proc-table.js';
import { type CommandResult, firstLine } from './run-command.js';
import { listZellijSessions } from './zellij-listing.js';
import { findStoppedServers, unreachableReason, withSocketView } from './zellij-sockets.js';
import { findZellijServer, runZellij } from './zellij-target.js';
import type { SessionEntrySpec } from '../specs/checkpoint-spec.js';
import {
  type ClientContext as ExecutorContext,
  type KillResult,
  type StepResult,
} from './client-context.js';
import { removeZellijBinding, writeZellijBinding } from './write-binding.js';

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
 * Clears the way for a new session named `name`: an EXITED one, or a live one zellij
 * resurrected whose panes all wait to run (never one that runs anything: that is refused).
 * zellij's own saved layout is kept first (zellij-resurrection.ts), then the session is
 * killed and deleted. Returns the kept copy, if zellij had one.
 */
export async function replaceZellijSession(
  ctx: ExecutorContext,
  name: string,
): Promise<
  | { readonly ok: true; readonly kept: { file: string; text: string } | null }
  | { readonly ok: false; readonly reason: string }
> {
  if (findZellijServer(await readProcessTable(), ctx.zellij, name)) {
    const listed = await runOnSession(ctx, name, [
      '--session',
      name,
      'action',
      'list-panes',
      '--json',
      '--all',
    ]);
    const panes = listed.status === 'exited' ? parseListedPanes(listed.stdout) : null;
    const terminals = (panes ?? []).filter((pane) => !pane.is_plugin);
    if (terminals.length === 0 || !terminals.every(isWaiting))
      return {
        ok: false,
        reason: `zellij session ${name} is live and not every pane of it waits to run: it is not replaced`,
      };
    // Right before the kill, by /proc: a server that runs any process now is not replaced.
    const now = await readProcessTable();
    const server = findZellijServer(now, ctx.zellij, name);
    if (server && now.some((info) => info.ppid === server.pid))
      return {
        ok: false,
        reason: `zellij session ${name} runs a process now: it is not replaced`,
      };
    const killed = await killZellijSession(ctx, name);
    if (!killed.ok) return killed;
  }
  let kept: { file: string; text: string } | null = null;
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
  if (deleted.exitCode !== 0 && deleted.exitCode !== 2)
    return {
      ok: false,
      reason: `zellij delete-session ${name}: ${said(deleted) || `exit ${deleted.exitCode}`}`,
    };
  await removeZellijBinding(ctx.stateDir, name);
  return { ok: true, kept };
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
