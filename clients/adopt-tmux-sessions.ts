import { firstLine, runCommand } from './run-command.js';
import { exactSession, type TmuxTarget, tmuxArgs, tmuxCommand, tmuxEnv } from './tmux-target.js';
import { TMUX_OPTIONS } from '../specs/markers.js';
import { clientEnvironment, type StepResult } from './client-context.js';

/**
 * Marks checkpointed tmux sessions as this workspace's (`@helios-workspace`,
 * `@helios-session-id`) in one tmux call, so later scans can prove ownership. Does not bind them
 * to an incarnation: that is recovery's job.
 */
export async function adoptTmuxSessions(
  tmux: TmuxTarget,
  timeoutMs: number,
  owner: { readonly workspaceId: string; readonly instanceId: string },
  sessions: readonly { name: string; sessionId: string }[],
): Promise<StepResult> {
  if (sessions.length === 0) return { ok: true, message: 'nothing to adopt' };
  const commands = sessions.flatMap(({ name, sessionId }) => [
    ['set-option', '-t', exactSession(name), TMUX_OPTIONS.workspace, owner.workspaceId],
    ['set-option', '-t', exactSession(name), TMUX_OPTIONS.instance, owner.instanceId],
    ['set-option', '-t', exactSession(name), TMUX_OPTIONS.session, sessionId],
  ]);
  const result = await runCommand(tmuxCommand(tmux), tmuxArgs(tmux, ...commands), {
    timeoutMs,
    env: clientEnvironment(tmuxEnv(tmux)),
  });
  if (result.status === 'failed') return { ok: false, reason: result.reason };
  if (result.exitCode !== 0)
    return { ok: false, reason: firstLine(result.stderr) || `tmux exited ${result.exitCode}` };
  return { ok: true, message: `adopted ${sessions.length} tmux sessions` };
}
