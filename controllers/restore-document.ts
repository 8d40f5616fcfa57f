import { decodeCheckpoint, sealCheckpoint } from '../specs/checkpoint-codec.js';
import type { DesiredState } from '../specs/desired-state.js';
import { RefusedError } from '../specs/remedies.js';
import {
  loadNewestCheckpoint,
  nextGeneration,
  writeCheckpoint,
} from '../store/checkpoint-store.js';
import { runImport } from './import/run-import.js';
import type { WorkspaceConfig } from './workspace-config.js';

/** What the host handed in, as a value: JSON text parsed (text that is not JSON stays text). */
export function checkpointValue(checkpoint: unknown): unknown {
  if (typeof checkpoint !== 'string') return checkpoint;
  try {
    return JSON.parse(checkpoint) as unknown;
  } catch {
    return checkpoint; // the codec says why
  }
}

/** The workspace a desired-state document names (none for heliosApp's own checkpoint). */
export function workspaceOf(checkpoint: unknown): string | undefined {
  const id = (checkpointValue(checkpoint) as { workspaceId?: unknown } | null)?.workspaceId;
  return typeof id === 'string' ? id : undefined;
}

/** heliosApp's own checkpoint is recognised by its shape: `version: 1` and a session list. */
export function isHostCheckpoint(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { version?: unknown }).version === 1 &&
    Array.isArray((value as { sessions?: unknown }).sessions)
  );
}

/**
 * What a host hands `restore()` as the next desired state, persisted as the next generation
 * so that `plan`, `status` and the orphan scan see what was restored. heliosApp's own v1 object
 * goes through the same rules as `import helios-v1` (its checksum verified, every session
 * validated alone, lanes derived, secrets withheld), its sessions on the backend the caller
 * chose; a tampered one is refused with a RefusedError. A desired-state document is written
 * again under the next generation when every entry verifies (one with corrupt entries is used
 * as it is, never re-sealed: that would make its corrupt entries look valid).
 */
/** A host session the import could not take: it fails alone, with its reason. */
export interface RejectedSession {
  readonly sessionId: string;
  readonly sessionName: string;
  readonly terminalId: string | null;
  readonly laneId: string | null;
  readonly message: string;
}

export async function desiredStateOf(
  config: WorkspaceConfig,
  checkpoint: unknown,
): Promise<{
  desired: DesiredState;
  rejected: RejectedSession[];
  /** Whether `desired` is the state dir's newest checkpoint now (false: used as it is). */
  persisted: boolean;
}> {
  const value = checkpointValue(checkpoint);
  if (isHostCheckpoint(value)) {
    const offered = (value as { sessions: unknown[] }).sessions;
    const current = await loadNewestCheckpoint(config.stateDir);
    // An empty host checkpoint never replaces sessions (a crash must not erase the desired state).
    if (offered.length === 0 && current.ok && current.desired.sessions.length > 0)
      throw new RefusedError(
        `the host checkpoint has no session; the workspace's checkpoint has ${current.desired.sessions.length}: refusing to replace it with an empty one`,
      );
    const imported = await runImport(config, {
      format: 'helios-v1',
      text: JSON.stringify(value),
      source: 'the host checkpoint',
      replaceSessions: true,
      multiplexer: config.backend === 'auto' ? undefined : config.backend,
    });
    if (!imported.ok) throw new RefusedError(imported.reason, imported.remedy);
    const loaded = await loadNewestCheckpoint(config.stateDir);
    if (!loaded.ok) throw new Error(`checkpoint cannot be used: ${loaded.reason}`);
    const taken = new Set(loaded.desired.sessions.map((session) => session.sessionId));
    const rejected = offered.flatMap((raw): RejectedSession[] => {
      const session = raw as Record<string, unknown>;
      const id = typeof session.sessionId === 'string' ? session.sessionId : '?';
      if (taken.has(id)) return [];
      const why = imported.warnings.find((line) => line.startsWith(`not imported: session ${id}:`));
      return [
        {
          sessionId: id,
          sessionName:
            typeof session.zelijjSessionName === 'string' ? session.zelijjSessionName : id,
          terminalId: typeof session.terminalId === 'string' ? session.terminalId : null,
          laneId: typeof session.laneId === 'string' ? session.laneId : null,
          message: why?.replace(/^not imported: /, '') ?? `session ${id} could not be imported`,
        },
      ];
    });
    return { desired: loaded.desired, rejected, persisted: true };
  }
  const decoded = decodeCheckpoint(typeof value === 'string' ? value : JSON.stringify(value));
  if (!decoded.ok) throw new Error(`checkpoint cannot be used: ${decoded.reason}`);
  const { desired } = decoded;
  if (desired.workspaceId !== config.workspaceId)
    throw new RefusedError(
      `the checkpoint belongs to workspace ${desired.workspaceId}, not ${config.workspaceId}: not restored into its state dir`,
    );
  if (desired.corrupt.length > 0) return { desired, rejected: [], persisted: false };
  const generation = Math.max(desired.generation, await nextGeneration(config.stateDir));
  const strip = <T extends { checksum: string }>({ checksum: _checksum, ...rest }: T) => rest;
  const document = sealCheckpoint({
    workspaceId: desired.workspaceId,
    generation,
    createdAt: desired.createdAt,
    host: desired.host,
    sessions: desired.sessions.map(strip),
    lanes: desired.lanes.map(strip),
    shareWorkers: desired.shareWorkers.map(strip),
  });
  await writeCheckpoint(config.stateDir, document);
  return { desired: { ...desired, generation }, rejected: [], persisted: true };
}
