import { clientFor } from '../../clients/multiplexer-clients.js';
import { currentGeneration, loadNewestCheckpoint } from '../../store/checkpoint-store.js';
import { writeCheckpointServers } from '../../store/recovery-files.js';
import type { WorkspaceConfig } from '../workspace-config.js';
import type { DesiredState } from '../../specs/desired-state.js';

/**
 * After a recovery reached LIVE: which tmux server now runs the newest checkpoint's sessions,
 * and which of its entries are still not running (lost). Without it, the next checkpoint would
 * compare with the server the crash took, and call a session the user closes after the
 * recovery lost instead of closed. Nothing is written when tmux cannot be seen. `restored` is
 * the checkpoint the caller just wrote (the host's restore): while it is still the current one,
 * it is not read and decoded again (~10 ms per 100 sessions).
 */
export async function recordServersSeen(
  config: WorkspaceConfig,
  restored?: Pick<DesiredState, 'generation' | 'sessions'>,
): Promise<void> {
  if (config.backend === 'zellij') return;
  // Another process may have written a checkpoint meanwhile: `restored` only while it is current.
  const current = restored && (await currentGeneration(config.stateDir)) === restored.generation;
  const loaded =
    current && restored
      ? { ok: true as const, desired: restored }
      : await loadNewestCheckpoint(config.stateDir);
  if (!loaded.ok) return;
  const listing = await clientFor('tmux').list(config);
  if (listing.status !== 'ok') return;
  const live = new Set(listing.items.map((session) => session.name));
  const server = listing.items.find((s) => s.serverPid && s.serverStartTime);
  // Every tmux entry that is not running now was lost (recover could not bring it back).
  await writeCheckpointServers(config.stateDir, {
    generation: loaded.desired.generation,
    lost: loaded.desired.sessions
      .filter((s) => s.multiplexer === 'tmux' && !live.has(s.sessionName))
      .map((s) => `tmux:${s.sessionName}`),
    ...(server ? { tmux: { pid: server.serverPid!, startTime: server.serverStartTime! } } : {}),
  });
}
