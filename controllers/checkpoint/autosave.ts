import { loadNewestCheckpoint } from '../../store/checkpoint-store.js';
import { type CheckpointOptions, takeCheckpoint } from './take-checkpoint.js';
import type { WorkspaceConfig } from '../workspace-config.js';
import { inspectLock, liveHolder } from '../workspace-lock.js';

/** What one autosave did. Only `failed` is an error; the others are the rules at work. */
export type AutosaveResult =
  | {
      readonly status: 'written';
      readonly generation: number;
      readonly file: string;
      readonly sessions: readonly string[];
      readonly warnings: readonly string[];
    }
  | { readonly status: 'unchanged'; readonly generation: number }
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'failed'; readonly reason: string };

export interface AutosaveOptions extends Pick<CheckpointOptions, 'keep' | 'drop' | 'repositories'> {
  /** The lock holders an autosave may write beside (the host that runs its own scheduler). */
  readonly ownHolder?: ((pid: number) => boolean) | undefined;
  /** Asked with the lock: a reason returned skips the save (a restore runs in this process). */
  readonly busy?: (() => string | null) | undefined;
}

/**
 * A checkpoint taken by a timer or a hook, under the rules of `checkpoint` and three more: it
 * never writes while a recovery or the daemon holds the workspace (checked before the capture
 * and again right before the write), it writes nothing when nothing changed (generations are
 * not churned away by saves of the same state), and an empty observation over a checkpoint with
 * sessions is skipped, never written. Sessions that went with a crashed server are kept.
 */
export async function autosaveCheckpoint(
  config: WorkspaceConfig,
  options: AutosaveOptions = {},
): Promise<AutosaveResult> {
  let held: string | null = null;
  const heldBy = async (): Promise<string | null> => {
    held = options.busy?.() ?? null;
    const holder =
      held === null ? liveHolder(await inspectLock(config.stateDir, Date.now())) : null;
    if (holder !== null && !options.ownHolder?.(holder.record.pid))
      held = `the workspace is held by ${holder.text}`;
    return held;
  };
  const before = await heldBy();
  if (before !== null) return { status: 'skipped', reason: before };
  // A corrupt entry cannot be written again: a save would drop it (recreate it first).
  const newest = await loadNewestCheckpoint(config.stateDir);
  if (newest.ok && newest.desired.corrupt.length > 0)
    return {
      status: 'skipped',
      reason: `the newest checkpoint has corrupt entries (${newest.desired.corrupt.map((e) => e.key).join(', ')}): not rewritten`,
    };
  const result = await takeCheckpoint(config, {
    ...(options.repositories ? { repositories: options.repositories } : {}),
    keep: options.keep,
    drop: options.drop,
    skipUnchanged: true,
    beforeWrite: heldBy,
  });
  if (!result.ok) {
    // The rules that keep a good save (nothing observed, held meanwhile) skip; the rest fails.
    const skip =
      result.remedy?.code === 'force_checkpoint' ||
      result.remedy?.code === 'allow_empty_checkpoint' ||
      (held !== null && result.reason === held);
    return { status: skip ? 'skipped' : 'failed', reason: result.reason };
  }
  if (result.unchanged) return { status: 'unchanged', generation: result.generation };
  return {
    status: 'written',
    generation: result.generation,
    file: result.file,
    sessions: result.sessions,
    warnings: result.warnings,
  };
}
