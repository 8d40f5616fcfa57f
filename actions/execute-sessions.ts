import { stat } from 'node:fs/promises';
import type { Outcome } from '../specs/outcome.js';
import type { ReattachAction, RespawnAction } from '../specs/plan.js';
import type { ExecutorContext, StepResult } from './executor-context.js';
import { isShellCommand, needsLauncher, writeLaunchScript } from './launch-command.js';
import { mapLimit } from './map-limit.js';
import { clientFor } from '../clients/multiplexer-clients.js';
import { MULTIPLEXERS } from '../specs/checkpoint-spec.js';

/** Binding only reads (listings, /proc): survivors are reattached 8 at a time. */
const BIND_CONCURRENCY = 8;

/**
 * Reattaches survivors (binds them to this incarnation). A reattach that fails falls back to a
 * respawn; its outcome says so.
 */
export async function executeReattaches(
  actions: readonly ReattachAction[],
  ctx: ExecutorContext,
): Promise<Outcome[]> {
  const started = Date.now();
  const bound = await mapLimit(actions, BIND_CONCURRENCY, (action) =>
    clientFor(action.backend).bind(ctx, action.session),
  );
  const fallbacks = actions.filter((_, i) => !bound[i]!.ok);
  const respawned = await executeRespawns(
    fallbacks.map((action) => ({
      ...action,
      kind: 'respawn',
      wave: 3,
      reason: 'no_live_session',
      replacesExited: false,
    })),
    ctx,
  );
  return actions.map((action, i) => {
    const result = bound[i]!;
    if (result.ok) {
      return {
        key: action.key,
        kind: 'reattach',
        status: 'succeeded',
        reason: action.reason,
        message: result.message,
        durationMs: Date.now() - started,
        restoredAs: 'reattached',
      };
    }
    const fallback = respawned[fallbacks.indexOf(action)]!;
    return {
      ...fallback,
      kind: 'reattach',
      message: `reattach failed (${result.reason}); ${fallback.message}`,
    };
  });
}

/**
 * Respawns sessions: a missing cwd fails with `cwd_missing` (never a respawn elsewhere); tmux
 * sessions are created in batches, zellij sessions a few at a time.
 */
export async function executeRespawns(
  actions: readonly RespawnAction[],
  ctx: ExecutorContext,
): Promise<Outcome[]> {
  const started = Date.now();
  const results = new Map<RespawnAction, StepResult & { cwdMissing?: boolean }>();
  const ready: { action: RespawnAction; command: string[] }[] = [];
  await Promise.all(
    actions.map(async (original) => {
      const action = ctx.safeMode ? withSafeShell(original) : original;
      const cwd = action.session.workingDirectory;
      const isDir = await stat(cwd).then(
        (info) => info.isDirectory(),
        () => false,
      );
      if (!isDir)
        return results.set(original, {
          ok: false,
          reason: `directory ${cwd} no longer exists`,
          cwdMissing: true,
        });
      try {
        const command = await clientFor(action.backend).paneCommand(
          ctx,
          action.session,
          needsLauncher(action.session),
          (exports) => writeLaunchScript(ctx.stateDir, action.session, exports),
        );
        ready.push({ action: original, command });
      } catch (error) {
        results.set(original, {
          ok: false,
          reason: `cannot write launcher: ${(error as Error).message}`,
        });
      }
    }),
  );
  await Promise.all(
    MULTIPLEXERS.map(async (backend) => {
      const mine = ready.filter((item) => item.action.backend === backend);
      if (mine.length === 0) return;
      const created = await clientFor(backend).create(
        ctx,
        mine.map(({ action, command }) => ({
          session: action.session,
          command,
          replacesExited: action.replacesExited,
        })),
      );
      mine.forEach((item, i) => results.set(item.action, created[i]!));
    }),
  );
  return actions.map((action): Outcome => {
    const result = results.get(action)!;
    const base = { key: action.key, kind: 'respawn' as const, durationMs: Date.now() - started };
    if (result.ok)
      return {
        ...base,
        status: 'succeeded',
        reason: action.reason,
        message: result.message,
        restoredAs: 'respawned',
      };
    if (result.cwdMissing) {
      const cwd = action.session.workingDirectory;
      return {
        ...base,
        status: 'failed',
        reason: 'cwd_missing',
        message: result.reason,
        suggestion: `Recreate ${cwd} and run \`helios-recover recover\` again, or take a new checkpoint without ${action.session.sessionName}.`,
      };
    }
    return {
      ...base,
      status: 'failed',
      reason: 'respawn_failed',
      message: result.reason,
      suggestion: `Check that ${action.backend} works, then run \`helios-recover recover\` again.`,
    };
  });
}

/** Safe mode re-runs no command other than a shell: a non-shell command becomes `$SHELL`. */
function withSafeShell(action: RespawnAction): RespawnAction {
  if (isShellCommand(action.session.shellCommand)) return action;
  return {
    ...action,
    session: { ...action.session, shellCommand: [process.env.SHELL || '/bin/sh'] },
  };
}
