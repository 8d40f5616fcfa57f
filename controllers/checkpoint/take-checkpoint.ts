import { hostname } from 'node:os';
import { worldOf } from '../world.js';
import type { CapturedSession } from '../../specs/actual-state.js';
import { sealCheckpoint } from '../../specs/checkpoint-codec.js';
import {
  type Multiplexer,
  MULTIPLEXERS,
  type SessionEntrySpec,
  sessionNameProblem,
  stripSessionPrefix,
  uniqueSessionId,
} from '../../specs/checkpoint-spec.js';
import {
  loadNewestCheckpoint,
  nextGeneration,
  writeCheckpoint,
} from '../../store/checkpoint-store.js';
import { deriveLanes } from './derive-lanes.js';
import { withholdFromEntries, withholdSecrets } from './withhold-secrets.js';
import {
  allowEnvRemedy,
  oversizedWarnings,
  type Withheld,
  withheldSummary,
} from '../../specs/capture-policy.js';
import type { Remedy } from '../../specs/remedies.js';
import { keepBlindEntries } from './keep-blind-entries.js';
import { laneOfPath } from '../../specs/lane-path.js';
import type { WorkspaceConfig } from '../workspace-config.js';

type SessionDraft = Omit<SessionEntrySpec, 'checksum'>;

export interface CheckpointOptions {
  /** Repositories whose `.helios-worktrees/` lanes are recorded even without a session. */
  readonly repositories?: readonly string[];
  /** Write even when nothing was observed over a checkpoint that has sessions. */
  readonly force?: boolean;
  /** Only sessions already tagged with this workspace (default: tagged + untagged). */
  readonly onlyTagged?: boolean;
  /** Write a checkpoint with no session when none was observed (default: refuse, and say why). */
  readonly allowEmpty?: boolean;
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
    }
  | { readonly ok: false; readonly reason: string; readonly remedy?: Remedy | undefined };

/** A unique session id for a captured session: its tag, else its name without `helios-`. */
export function sessionIdOf(session: CapturedSession, used = new Set<string>()): string {
  return uniqueSessionId(session.sessionId ?? stripSessionPrefix(session.name), used);
}

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
  const unrecorded: string[] = [];
  const kept = keepBlindEntries(
    backends,
    observations,
    previousSessions,
    previous.ok ? previous.desired.generation : null,
    warnings,
    unrecorded,
  );
  if (mine.length + kept.length === 0 && previousSessions.length > 0 && !options.force) {
    return {
      ok: false,
      reason: `no live session of workspace ${config.workspaceId} was observed; the checkpoint has ${previousSessions.length}: refusing to overwrite it with an empty one${warnings.length > 0 ? ` (${warnings.join('; ')})` : ''}`,
      remedy: { code: 'force_checkpoint' },
    };
  }
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
  const file = await writeCheckpoint(config.stateDir, document);
  for (const backend of backends) {
    const tagged = await world.tag(
      backend,
      config,
      config,
      sessions
        .filter((s) => s.multiplexer === backend)
        .map((s) => ({ name: s.sessionName, sessionId: s.sessionId })),
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

function toDrafts(
  captured: readonly CapturedSession[],
  previous: readonly SessionEntrySpec[],
  unrecorded: string[],
  reserved: readonly SessionDraft[],
): SessionDraft[] {
  const previousById = new Map(previous.map((session) => [session.sessionId, session]));
  const used = new Set<string>(reserved.map((draft) => draft.sessionId));
  const drafts: SessionDraft[] = [];
  for (const session of [...captured].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const nameProblem = sessionNameProblem(session.name, session.backend);
    if (nameProblem) {
      unrecorded.push(`"${session.name}": its name cannot be addressed exactly (${nameProblem})`);
      continue;
    }
    const cwds = [
      session.cwd,
      ...(session.windows ?? []).flatMap((w) => w.panes.map((p) => p.workingDirectory)),
    ];
    if (cwds.some((cwd) => cwd.includes('\uFFFD'))) {
      // Decoding replaced bytes that are not UTF-8: the JSON checkpoint cannot hold them exactly.
      unrecorded.push(
        `"${session.name}": a working directory is not valid UTF-8 and cannot be saved exactly`,
      );
      continue;
    }
    const sessionId = sessionIdOf(session, used);
    drafts.push({
      sessionId,
      terminalId: previousById.get(sessionId)?.terminalId ?? sessionId,
      laneId: null,
      multiplexer: session.backend,
      sessionName: session.name,
      workingDirectory: session.cwd,
      environment: { ...session.environment },
      shellCommand: [...session.shellCommand],
      scrollback: session.scrollback,
      ...(session.windows && session.windows.length > 0 ? { windows: [...session.windows] } : {}),
    });
  }
  return drafts;
}
