import { setTimeout as sleep } from 'node:timers/promises';
import { isNoZellijSessions, parseZellijSessions } from '../observers/parse-zellij-sessions.js';
import { readProcessTable } from '../observers/proc-table.js';
import { firstLine, runCommand } from '../observers/run-command.js';
import { findZellijServer, zellijCommand, zellijEnv } from '../observers/zellij-target.js';
import type { SessionEntrySpec } from '../specs/checkpoint-spec.js';
import type { ExecutorContext, StepResult } from './executor-context.js';
import { clientEnvironment, sessionEnvironment } from './launch-command.js';
import { removeZellijBinding, writeZellijBinding } from './write-binding.js';

const SERVER_WAIT_MS = 3_000;

function runZellij(ctx: ExecutorContext, args: string[], extraEnv: Record<string, string> = {}) {
  return runCommand(zellijCommand(ctx.zellij), args, {
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    env: { ...clientEnvironment(zellijEnv(ctx.zellij)), ...extraEnv },
  });
}

/** True when `list-sessions -n` shows `name` live; null when zellij cannot be asked. */
async function isLive(ctx: ExecutorContext, name: string): Promise<boolean | null> {
  const result = await runZellij(ctx, ['list-sessions', '-n']);
  if (result.status === 'failed') return null;
  if (result.exitCode !== 0) return isNoZellijSessions(result.stderr) ? false : null;
  return parseZellijSessions(result.stdout).some((s) => s.name === name && s.state === 'live');
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
 * Creates a zellij session in the background (`attach -b NAME options ...`) with the session's
 * cwd, env and launcher as default shell. An EXITED session of that name is deleted first.
 * "Session already exists" means converged.
 */
export async function createZellijSession(
  ctx: ExecutorContext,
  session: SessionEntrySpec,
  script: string,
  replacesExited: boolean,
): Promise<StepResult> {
  const name = session.sessionName;
  if (replacesExited) {
    const deleted = await runZellij(ctx, ['delete-session', name]);
    if (deleted.status === 'failed') return { ok: false, reason: deleted.reason };
    if (deleted.exitCode !== 0 && deleted.exitCode !== 2) {
      return {
        ok: false,
        reason: `zellij delete-session ${name}: ${firstLine(deleted.stderr) || `exit ${deleted.exitCode}`}`,
      };
    }
    await removeZellijBinding(ctx.stateDir, name);
  }
  const created = await runZellij(
    ctx,
    [
      'attach',
      '-b',
      name,
      'options',
      '--default-cwd',
      session.workingDirectory,
      '--default-shell',
      script,
    ],
    sessionEnvironment(ctx, session),
  );
  if (created.status === 'failed') return { ok: false, reason: created.reason };
  const converged = created.exitCode === 1 && created.stderr.includes('Session already exists');
  if (created.exitCode !== 0 && !converged) {
    return {
      ok: false,
      reason: `zellij attach -b ${name}: ${firstLine(created.stderr) || `exit ${created.exitCode}`}`,
    };
  }
  const bound = await bindZellijSession(ctx, session, SERVER_WAIT_MS);
  if (!bound.ok) return bound;
  return {
    ok: true,
    message: converged
      ? `zellij session ${name} already exists (converged)`
      : `created zellij session ${name}`,
  };
}
