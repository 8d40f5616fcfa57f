import type { StepResult } from './client-context.js';
import { runTmux, tagCommands, tmuxStep } from './tmux-runner.js';
import type { TmuxTarget } from './tmux-target.js';

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
  const commands = sessions.flatMap(({ name, sessionId }) =>
    tagCommands(name, { ...owner, sessionId }),
  );
  return tmuxStep(
    await runTmux(tmux, commands, { timeoutMs }),
    `adopted ${sessions.length} tmux sessions`,
  );
}
