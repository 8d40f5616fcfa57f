import { missingCwdFailure } from '../specs/plan-text.js';
import { stat } from 'node:fs/promises';
import type { Outcome } from '../specs/outcome.js';
import type { ReattachAction, RespawnAction } from '../specs/plan.js';
import type { Remedy } from '../specs/remedies.js';
import type { ExecutorContext } from './executor-context.js';
import { isShellCommand, writeLaunchScript } from './launch-command.js';
import { mapLimit } from './map-limit.js';
import { commandProblem, verifyRespawns } from './verify-respawns.js';
import { clientFor } from '../clients/multiplexer-clients.js';
import { MULTIPLEXERS } from '../specs/checkpoint-spec.js';
import { userShell } from '../specs/shell-quoting.js';
import { shapeOf } from '../specs/session-windows.js';
import { preparePanes, type PreparedPanes } from './prepare-panes.js';

/**
 * Respawn failures that the same respawn cannot cure: the cwd or the command is missing, or the
 * command ran and exited at once or elsewhere. Another try needs a change first.
 */
const TERMINAL_FAILURES = new Set([
  'cwd_missing',
  'command_not_found',
  'exited_immediately',
  'wrong_cwd',
]);

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

type RespawnResult =
  | {
      readonly ok: true;
      readonly message: string;
      readonly shape?: Outcome['shape'];
      readonly notRestarted?: readonly string[];
      readonly notes?: readonly string[];
    }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly remedy: Remedy;
    };

/**
 * Respawns sessions: a missing cwd fails with `cwd_missing` and a command that cannot start
 * with `command_not_found` (never a respawn elsewhere or a session that dies at once); each
 * multiplexer creates its own (tmux in batches, zellij one at a time); then verify after apply:
 * a respawn counts only when a new observation shows it running (verify-respawns.ts).
 */
export async function executeRespawns(
  actions: readonly RespawnAction[],
  ctx: ExecutorContext,
): Promise<Outcome[]> {
  const started = Date.now();
  const results = new Map<RespawnAction, RespawnResult>();
  const ready: {
    action: RespawnAction;
    command: string[];
    shape: PreparedPanes;
  }[] = [];
  const fail = (action: RespawnAction, code: string, message: string, remedy: Remedy) =>
    results.set(action, { ok: false, code, message, remedy });
  await Promise.all(
    actions.map(async (original) => {
      const action = ctx.safeMode ? withSafeShell(original, ctx.env) : original;
      const { session } = action;
      const cwd = session.workingDirectory;
      const isDir = await stat(cwd).then(
        (info) => info.isDirectory(),
        () => false,
      );
      if (!isDir) {
        const { message, remedy } = missingCwdFailure(cwd, session.sessionName);
        return fail(original, 'cwd_missing', message, remedy);
      }
      const problem = await commandProblem(session, ctx.env.PATH);
      if (problem)
        return fail(
          original,
          'command_not_found',
          `cannot start \`${session.shellCommand.join(' ')}\`: ${problem}`,
          { code: 'fix_shell_command', sessionName: session.sessionName },
        );
      try {
        const client = clientFor(action.backend);
        const command = await client.paneCommand(ctx, session, (exports) =>
          writeLaunchScript(ctx, session, exports),
        );
        const shape = await preparePanes(session, ctx, (pane) =>
          client.paneCommand(ctx, session, (exports) =>
            writeLaunchScript(ctx, session, exports, pane),
          ),
        );
        ready.push({ action: original, command, shape });
      } catch (error) {
        fail(original, 'respawn_failed', `cannot write launcher: ${(error as Error).message}`, {
          code: 'fix_state_dir',
        });
      }
      return undefined;
    }),
  );
  await Promise.all(
    MULTIPLEXERS.map(async (backend) => {
      const mine = ready.filter((item) => item.action.backend === backend);
      if (mine.length === 0) return;
      const created = await clientFor(backend).create(
        ctx,
        mine.map(({ action, command, shape }) => ({
          session: action.session,
          command,
          replacesExited: action.replacesExited,
          panes: shape.panes,
          programs: shape.programs,
        })),
      );
      mine.forEach((item, i) => {
        const step = created[i]!;
        const notes = item.shape.notRestarted;
        const shape = shapeOf(item.action.session);
        if (step.ok)
          results.set(item.action, {
            ok: true,
            message: `${step.message}${describeShape(shape)}${notes.length > 0 ? `; not restarted: ${notes.join(', ')}` : ''}`,
            ...(shape.panes > 1 ? { shape } : {}),
            notRestarted: notes,
            ...(step.notes ? { notes: [...step.notes] } : {}),
          });
        else
          fail(item.action, 'respawn_failed', step.reason, { code: 'check_multiplexer', backend });
      });
    }),
  );
  const made = ready.map((item) => item.action).filter((action) => results.get(action)?.ok);
  const unverified = await verifyRespawns(
    ctx,
    made.map((action) => action.session),
  );
  for (const action of made) {
    const problem = unverified.get(action.session.sessionName);
    if (problem) fail(action, problem.reason, problem.message, problem.remedy);
  }
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
        ...(result.shape ? { shape: result.shape } : {}),
        ...(result.notRestarted?.length ? { notRestarted: [...result.notRestarted] } : {}),
        ...(result.notes?.length ? { notes: [...result.notes] } : {}),
      };
    return {
      ...base,
      status: 'failed',
      terminal: TERMINAL_FAILURES.has(result.code),
      reason: result.code,
      message: result.message,
      remedy: result.remedy,
    };
  });
}

/** Safe mode re-runs no command other than a shell: a non-shell command becomes `$SHELL`. */
function withSafeShell(action: RespawnAction, env: NodeJS.ProcessEnv): RespawnAction {
  if (isShellCommand(action.session.shellCommand)) return action;
  return {
    ...action,
    session: { ...action.session, shellCommand: [userShell(env)] },
  };
}

/** ` (2 windows, 3 panes)` for a session of more than one pane; nothing for one pane. */
function describeShape({ windows, panes }: { windows: number; panes: number }): string {
  if (panes === 1) return '';
  return ` (${windows} ${windows === 1 ? 'window' : 'windows'}, ${panes} panes)`;
}
