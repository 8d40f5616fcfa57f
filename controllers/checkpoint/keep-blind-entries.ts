import {
  blindPartsOf,
  type CapturedSession,
  type Observation,
  type ServerIdentity,
} from '../../specs/actual-state.js';
import type { Multiplexer, SessionEntrySpec } from '../../specs/checkpoint-spec.js';

type SessionDraft = Omit<SessionEntrySpec, 'checksum'>;

/**
 * The previous checkpoint's entries of the sessions a capture could not see (a hung server):
 * unknown is not empty, so each is kept exactly as it was, and a warning says so. A blind
 * session with no previous entry cannot be recorded: it is named in `unrecorded`.
 */
export function keepBlindEntries(
  backends: readonly Multiplexer[],
  observations: readonly Observation<CapturedSession>[],
  previous: readonly SessionEntrySpec[],
  previousGeneration: number | null,
  warnings: string[],
  unrecorded: string[] = [],
): SessionDraft[] {
  const kept: SessionDraft[] = [];
  for (const [i, observation] of observations.entries()) {
    const backend = backends[i]!;
    if (observation.status === 'unavailable') {
      // Unknown is not empty: every entry of a multiplexer that could not be seen stays.
      for (const { checksum: _checksum, ...draft } of previous.filter(
        (s) => s.multiplexer === backend,
      ))
        kept.push(draft);
      if (previous.some((s) => s.multiplexer === backend))
        warnings.push(
          `${backend} was not observed: its entries from checkpoint generation ${previousGeneration} are kept as they were`,
        );
      continue;
    }
    for (const part of blindPartsOf(observation)) {
      const entry = previous.find((s) => s.multiplexer === backend && s.sessionName === part.name);
      if (entry) {
        const { checksum: _checksum, ...draft } = entry;
        kept.push(draft);
        warnings.push(
          `${backend} session ${part.name} was not observed (${part.reason}): its entry from checkpoint generation ${previousGeneration} is kept as it was`,
        );
      } else {
        unrecorded.push(
          `"${part.name}" (${backend}): not observed (${part.reason}), and in no earlier checkpoint`,
        );
      }
    }
  }
  return kept;
}

/** What `keepLostEntries` is told beside the observations. */
export interface LostEntryRules {
  /**
   * What the previous checkpoint recorded of its servers (a different tmux server now: the old
   * one went, with its sessions) and the entries it kept as lost (`mux:name`: lost until they
   * run again). Null when it recorded nothing (written by an import, a rollback, an older
   * version): then what is not running cannot be told closed, and is kept as lost.
   */
  readonly previousServers: {
    readonly tmux?: ServerIdentity | undefined;
    readonly lost?: readonly string[] | undefined;
  } | null;
  /** Session ids kept whenever they are not running (the daemon is still restoring them). */
  readonly keep?: ReadonlySet<string> | undefined;
  /** Session names the user asked to forget (`checkpoint --drop`): never kept. */
  readonly drop?: ReadonlySet<string> | undefined;
}

/**
 * The previous checkpoint's entries of sessions that are not running because their server went
 * away (a crash, or a kill-server): the user did not close them, so they are kept for recover.
 * A session gone from a server that still runs, and ran before the previous checkpoint, was
 * closed on purpose: it is dropped (older generations keep it). A tmux server other than the
 * one the previous checkpoint saw is a new one: the sessions of the old one were lost with it.
 */
export function keepLostEntries(
  backends: readonly Multiplexer[],
  observations: readonly Observation<CapturedSession>[],
  previous: readonly SessionEntrySpec[],
  reserved: ReadonlySet<string>,
  rules: LostEntryRules,
  warnings: string[],
): SessionDraft[] {
  const kept: SessionDraft[] = [];
  for (const [i, observation] of observations.entries()) {
    if (observation.status !== 'ok') continue;
    const backend = backends[i]!;
    const live = new Set(observation.items.map((session) => session.name));
    const gone = observation.serverGone;
    const before = rules.previousServers?.tmux;
    const now = observation.server;
    // Which tmux server ran them is unknown, or it is not this one: not running means lost.
    const restarted =
      backend === 'tmux' &&
      (before === undefined ||
        now === undefined ||
        before.pid !== now.pid ||
        before.startTime !== now.startTime);
    const previousLost = new Set(rules.previousServers?.lost ?? []);
    for (const entry of previous) {
      const name = entry.sessionName;
      if (entry.multiplexer !== backend || live.has(name) || reserved.has(`${backend}:${name}`))
        continue;
      if (rules.drop?.has(name)) continue;
      const lost =
        gone === true ||
        (gone !== undefined && gone.includes(name)) ||
        restarted ||
        previousLost.has(`${backend}:${name}`);
      if (!lost && !rules.keep?.has(entry.sessionId)) continue;
      const { checksum: _checksum, ...draft } = entry;
      kept.push(draft);
      warnings.push(
        lost
          ? `${backend} session ${name} is not running: it went with its server (a crash or a kill-server, not a close), so its entry is kept for recover (dropping it by name forgets it)`
          : `${backend} session ${name} is not running yet: its entry is kept while it is restored`,
      );
    }
  }
  return kept;
}
