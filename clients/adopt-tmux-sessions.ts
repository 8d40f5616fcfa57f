import type { StepResult } from './client-context.js';
import { batchBySize, commandsSize, runTmux, tagCommands, tmuxStep } from './tmux-runner.js';
import type { TmuxTarget } from './tmux-target.js';

/**
 * Marks checkpointed tmux sessions as this workspace's (`@helios-workspace`,
 * `@helios-session-id`), batched by command size (one call for a few dozen sessions), so later
 * scans can prove ownership. Does not bind them to an incarnation: that is recovery's job.
 */
export async function adoptTmuxSessions(
  tmux: TmuxTarget,
  timeoutMs: number,
  owner: { readonly workspaceId: string; readonly instanceId: string },
  sessions: readonly { name: string; sessionId: string }[],
): Promise<StepResult> {
  if (sessions.length === 0) return { ok: true, message: 'nothing to adopt' };
  const tagged = sessions.map(({ name, sessionId }) => tagCommands(name, { ...owner, sessionId }));
  // tmux stops a call at its first failing command (a session closed meanwhile): the other
  // batches are still tagged, and the reason says how many were not.
  let untagged = 0;
  let reason = '';
  for (const batch of batchBySize(tagged, commandsSize)) {
    const step = tmuxStep(await runTmux(tmux, batch.flat(), { timeoutMs }), 'adopted');
    if (!step.ok) {
      untagged += batch.length;
      reason ||= step.reason;
    }
  }
  if (untagged > 0)
    return { ok: false, reason: `${reason} (${untagged} of ${sessions.length} may be untagged)` };
  return { ok: true, message: `adopted ${sessions.length} tmux sessions` };
}
