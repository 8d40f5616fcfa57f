import { hostname } from 'node:os';
import { worldOf } from '../world.js';
import type { CapturedSession } from '../../specs/actual-state.js';
import { sealCheckpoint } from '../../specs/checkpoint-codec.js';
import { type Multiplexer, MULTIPLEXERS } from '../../specs/checkpoint-spec.js';
import {
  loadNewestCheckpoint,
  nextGeneration,
  writeCheckpoint,
} from '../../store/checkpoint-store.js';
import { deriveLanes } from './derive-lanes.js';
import { quietUninstalled } from './quiet-uninstalled.js';
import { readCheckpointServers, writeCheckpointServers } from '../../store/recovery-files.js';
import { withholdFromEntries, withholdSecrets } from './withhold-secrets.js';
import {
  allowEnvRemedy,
  oversizedWarnings,
  type Withheld,
  withheldSummary,
} from '../../specs/capture-policy.js';
import type { Remedy } from '../../specs/remedies.js';
import { keepBlindEntries, keepLostEntries } from './keep-blind-entries.js';
import { sameContent, toDrafts, untaggedDrafts } from './session-drafts.js';

export { sessionIdOf } from './session-drafts.js';
import { laneOfPath } from '../../specs/lane-path.js';
import type { WorkspaceConfig } from '../workspace-config.js';

export interface CheckpointOptions {
  /** Repositories whose `.helios-worktrees/` lanes are recorded even without a session. */
  readonly repositories?: readonly string[];
  /** Write even when nothing was observed over a checkpoint that has sessions. */
  readonly force?: boolean;
  /** Only sessions already tagged with this workspace (default: tagged + untagged). */
  readonly onlyTagged?: boolean;
  /** Write a checkpoint with no session when none was observed (default: refuse, and say why). */
  readonly allowEmpty?: boolean;
  /** Session ids kept while they are not running (the daemon restores them). */
  readonly keep?: readonly string[] | undefined;
  /** Names of sessions that are not running to forget (they went with a crashed server). */
  readonly drop?: readonly string[] | undefined;
  /** Write nothing when the checkpoint would hold exactly what the newest one holds. */
  readonly skipUnchanged?: boolean | undefined;
  /** Asked right before the write: a reason returned writes nothing (autosave's lock check). */
  readonly beforeWrite?: (() => Promise<string | null>) | undefined;
  readonly now?: () => Date;
}

export type CheckpointResult =
  | {
      readonly ok: true;
      readonly file: string;
      readonly generation: number;
      readonly sessions: readonly string[];
      readonly lanes: readonly string[];
      readonly warnings: readonly string[];
      /** What the state dir was not given (secrets, variables tmux could not take again). */
      readonly withheld: Withheld;
      /** The summary of the secrets withheld, or null. */
      readonly withheldText: string | null;
      /** How to keep the withheld variables after all (absent: none was withheld). */
      readonly remedy?: Remedy | undefined;
      /** Live sessions that could not be recorded, each `"NAME": why` (the CLI exits 3). */
      readonly unrecorded: readonly string[];
      /** Nothing changed (with `skipUnchanged`): nothing was written, `generation` is the newest. */
      readonly unchanged?: boolean | undefined;
    }
  | { readonly ok: false; readonly reason: string; readonly remedy?: Remedy | undefined };

/**
 * Observes the workspace's live sessions and writes them as the next checkpoint generation.
 * Sessions of other workspaces are never captured. Refuses to replace a checkpoint that has
 * sessions with an empty observation unless `force`: a crash must not erase the desired state.
 */
export async function takeCheckpoint(
  config: WorkspaceConfig,
  options: CheckpointOptions = {},
): Promise<CheckpointResult> {
  const world = worldOf(config);
  const backends: readonly Multiplexer[] =
    config.backend === 'auto' ? MULTIPLEXERS : [config.backend];
  const observations = await Promise.all(backends.map((backend) => world.capture(backend, config)));
  const warnings: string[] = [];
  const captured: CapturedSession[] = [];
  for (const [i, observation] of observations.entries()) {
    if (observation.status === 'ok') captured.push(...observation.items);
    else warnings.push(`${backends[i]} not observed: ${observation.reason}`);
  }
  if (observations.every((observation) => observation.status === 'unavailable')) {
    return { ok: false, reason: `no multiplexer could be observed (${warnings.join('; ')})` };
  }
  // A session tagged by another instance (state dir or user) of the same workspace id is theirs.
  const ours = captured.filter(
    (session) =>
      (options.onlyTagged
        ? session.workspaceId === config.workspaceId
        : session.workspaceId === null || session.workspaceId === config.workspaceId) &&
      (session.instanceId == null || session.instanceId === config.instanceId),
  );
  const { sessions: mine, withheld } = withholdSecrets(ours, config);
  const previous = await loadNewestCheckpoint(config.stateDir);
  const previousSessions = previous.ok ? previous.desired.sessions : [];
  quietUninstalled(warnings, backends, previousSessions, captured);
  const unrecorded: string[] = [];
  const blindKept = keepBlindEntries(
    backends,
    observations,
    previousSessions,
    previous.ok ? previous.desired.generation : null,
    warnings,
    unrecorded,
  );
  // Sessions lost with their server do not make an observation of nothing less empty.
  if (mine.length + blindKept.length === 0 && previousSessions.length > 0 && !options.force) {
    return {
      ok: false,
      reason: `no live session of workspace ${config.workspaceId} was observed; the checkpoint has ${previousSessions.length}: refusing to overwrite it with an empty one${warnings.length > 0 ? ` (${warnings.join('; ')})` : ''}`,
      remedy: { code: 'force_checkpoint' },
    };
  }
  const servers = previous.ok
    ? await readCheckpointServers(config.stateDir, previous.desired.generation)
    : null;
  // --force: the sessions are gone for good, those lost with their server too.
  const lostKept = options.force
    ? []
    : keepLostEntries(
        backends,
        observations,
        previousSessions,
        new Set(blindKept.map((draft) => `${draft.multiplexer}:${draft.sessionName}`)),
        {
          previousServers: servers,
          keep: new Set(options.keep ?? []),
          drop: new Set(options.drop ?? []),
        },
        warnings,
      );
  const kept = [...blindKept, ...lostKept];
  if (mine.length + kept.length === 0 && unrecorded.length > 0 && !options.force)
    return { ok: false, reason: `no session could be recorded: ${unrecorded.join('; ')}` };
  if (mine.length + kept.length === 0 && !options.allowEmpty && !options.force) {
    const where = backends
      .map((backend) =>
        backend === 'tmux'
          ? `tmux ${config.tmux.socketPath ? `-S ${config.tmux.socketPath}` : config.tmux.socketName ? `-L ${config.tmux.socketName}` : '(default socket)'}`
          : 'zellij',
      )
      .join(', ');
    return {
      ok: false,
      reason: `no live session of workspace ${config.workspaceId} was found (${where}: no server or no session of ours): nothing to checkpoint`,
      remedy: { code: 'allow_empty_checkpoint' },
    };
  }
  // An entry kept from the previous checkpoint is under the secrets policy too.
  const drafts = [
    ...toDrafts(mine, previousSessions, unrecorded, kept),
    ...withholdFromEntries(kept, config),
  ];
  const derived = await deriveLanes(
    [
      ...(options.repositories ?? []),
      ...(previous.ok ? previous.desired.lanes.map((l) => l.repository) : []),
    ],
    drafts.map((draft) => draft.workingDirectory),
    { timeoutMs: config.timeoutMs, env: config.env },
  );
  warnings.push(...derived.warnings);
  const laneIds = new Set(derived.lanes.map((lane) => lane.laneId));
  const sessions = drafts.map((draft) => {
    const lane = laneOfPath(draft.workingDirectory);
    return { ...draft, laneId: lane && laneIds.has(lane.laneId) ? lane.laneId : null };
  });
  const document = sealCheckpoint({
    workspaceId: config.workspaceId,
    generation: await nextGeneration(config.stateDir),
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    host: hostname(),
    sessions,
    lanes: derived.lanes,
    // A checkpoint captures sessions; the host app's share workers it declared stay declared.
    shareWorkers: previous.ok
      ? previous.desired.shareWorkers.map(({ checksum: _checksum, ...worker }) => worker)
      : [],
  });
  // Which servers held these sessions: the next checkpoint tells a restarted server by it.
  const tmuxObservation = observations[backends.indexOf('tmux')];
  const recordServers = (generation: number) =>
    writeCheckpointServers(config.stateDir, {
      generation,
      lost: lostKept.map((draft) => `${draft.multiplexer}:${draft.sessionName}`),
      ...(tmuxObservation?.status === 'ok' && tmuxObservation.server
        ? { tmux: tmuxObservation.server }
        : {}),
    }).catch((error: unknown) =>
      warnings.push(`servers not recorded: ${(error as Error).message}`),
    );
  if (options.skipUnchanged && previous.ok && sameContent(document, previous.desired)) {
    await recordServers(previous.desired.generation);
    return {
      ok: true,
      file: previous.file,
      generation: previous.desired.generation,
      sessions: sessions.map((s) => s.sessionName),
      lanes: derived.lanes.map((lane) => lane.laneId),
      warnings,
      withheld,
      withheldText: withheldSummary(withheld),
      remedy: allowEnvRemedy(withheld),
      unrecorded,
      unchanged: true,
    };
  }
  const held = (await options.beforeWrite?.()) ?? null;
  if (held !== null) return { ok: false, reason: held };
  const file = await writeCheckpoint(config.stateDir, document);
  await recordServers(document.generation);
  const untaggedSessions = untaggedDrafts(sessions, captured, config);
  for (const backend of backends) {
    const untagged = untaggedSessions.filter((s) => s.multiplexer === backend);
    if (untagged.length === 0) continue;
    const tagged = await world.tag(
      backend,
      config,
      config,
      untagged.map((s) => ({ name: s.sessionName, sessionId: s.sessionId })),
    );
    if (!tagged.ok) warnings.push(`${backend} sessions not tagged: ${tagged.reason}`);
  }
  return {
    ok: true,
    file,
    generation: document.generation,
    sessions: sessions.map((s) => s.sessionName),
    lanes: derived.lanes.map((lane) => lane.laneId),
    warnings: [...warnings, ...oversizedWarnings(withheld)],
    withheld,
    withheldText: withheldSummary(withheld),
    remedy: allowEnvRemedy(withheld),
    unrecorded,
  };
}
