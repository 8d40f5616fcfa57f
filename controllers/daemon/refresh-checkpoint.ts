import { hostname } from 'node:os';
import type { CapturedSession } from '../../specs/actual-state.js';
import { sealCheckpoint } from '../../specs/checkpoint-codec.js';
import type { SessionEntrySpec } from '../../specs/checkpoint-spec.js';
import { nextGeneration, writeCheckpoint } from '../../store/checkpoint-store.js';
import type { DesiredState } from '../../specs/desired-state.js';
import type { WorkspaceConfig } from '../workspace-config.js';
import { withholdFromEntries } from '../checkpoint/withhold-secrets.js';
import { worldOf } from '../world.js';

export type SessionDraft = Omit<SessionEntrySpec, 'checksum'>;

export interface DesiredChanges {
  readonly add?: readonly SessionDraft[];
  /** Session ids that leave the desired state (closed on purpose: never resurrected). */
  readonly remove?: readonly string[];
  /**
   * Whether live sessions refresh their cwd, env, shell and scrollback (default true). A control
   * request writes only its change: capturing every live session for it was about 35 ms of a
   * `session open` round trip with 10 sessions; the next periodic checkpoint refreshes them.
   */
  readonly refreshLive?: boolean;
}

const strip = ({ checksum: _checksum, ...entry }: SessionEntrySpec): SessionDraft => entry;

/**
 * The daemon's checkpoint: the desired state stays what it is (only `changes` add or remove
 * sessions), while live sessions of this workspace refresh their cwd, env, shell and scrollback
 * (unless `changes.refreshLive` is false: a control request's checkpoint).
 * A session that died is kept as it was, so the loop respawns it instead of forgetting it.
 */
export async function refreshCheckpoint(
  config: WorkspaceConfig,
  desired: DesiredState,
  changes: DesiredChanges = {},
): Promise<{ ok: true; generation: number; durationMs: number } | { ok: false; reason: string }> {
  const started = Date.now();
  if (desired.corrupt.length > 0) {
    // A corrupt entry cannot be written again; rewriting would silently drop it.
    const keys = desired.corrupt.map((entry) => entry.key).join(', ');
    return {
      ok: false,
      reason: `checkpoint not rewritten: it has corrupt entries (${keys}); fix or re-create them first`,
    };
  }
  const captured = new Map<string, CapturedSession>();
  const backends =
    changes.refreshLive === false ? [] : [...new Set(desired.sessions.map((s) => s.multiplexer))];
  for (const backend of backends) {
    const observation = await worldOf(config).capture(backend, config);
    if (observation.status === 'unavailable') continue;
    for (const session of observation.items) {
      if (session.workspaceId === config.workspaceId)
        captured.set(`${backend}:${session.name}`, session);
    }
  }
  const removed = new Set(changes.remove ?? []);
  const refreshed: SessionDraft[] = desired.sessions
    .filter((session) => !removed.has(session.sessionId))
    .map((session) => {
      const live = captured.get(`${session.multiplexer}:${session.sessionName}`);
      if (!live) return strip(session);
      return {
        ...strip(session),
        // A cwd that is not UTF-8 cannot be saved exactly: the saved one stays.
        workingDirectory: live.cwd.includes('\uFFFD') ? session.workingDirectory : live.cwd,
        environment: { ...live.environment },
        shellCommand: [...live.shellCommand],
        scrollback: live.scrollback || session.scrollback,
        ...(live.windows && live.windows.length > 0
          ? { windows: [...live.windows] }
          : session.windows
            ? { windows: session.windows }
            : {}),
      };
    });
  // Secrets stay out of the daemon's checkpoints as out of `checkpoint`'s (allowEnv aside), and
  // leave entries an older version wrote. A session opened by request is written as asked (it
  // is created from this checkpoint), and under the policy from the next checkpoint on.
  const sessions = [...withholdFromEntries(refreshed, config), ...(changes.add ?? [])];
  try {
    const document = sealCheckpoint({
      workspaceId: desired.workspaceId,
      generation: await nextGeneration(config.stateDir),
      createdAt: new Date().toISOString(),
      host: hostname(),
      sessions,
      lanes: desired.lanes.map(({ checksum: _checksum, ...lane }) => lane),
      shareWorkers: desired.shareWorkers.map(({ checksum: _checksum, ...worker }) => worker),
    });
    await writeCheckpoint(config.stateDir, document);
    return { ok: true, generation: document.generation, durationMs: Date.now() - started };
  } catch (error) {
    return { ok: false, reason: `checkpoint not written: ${(error as Error).message}` };
  }
}
