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
  /** The servers the previous checkpoint saw, by multiplexer (a different one now: restarted). */
  readonly previousServers: Readonly<Partial<Record<Multiplexer, ServerIdentity>>>;
  /** Entries the previous checkpoint kept as lost (`mux:name`): still lost until they run. */
  readonly previousLost: ReadonlySet<string>;
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
    const before = rules.previousServers[backend];
    const now = observation.server;
    const restarted =
      before !== undefined &&
      now !== undefined &&
      (before.pid !== now.pid || before.startTime !== now.startTime);
    for (const entry of previous) {
      const name = entry.sessionName;
      if (entry.multiplexer !== backend || live.has(name) || reserved.has(`${backend}:${name}`))
        continue;
      if (rules.drop?.has(name)) continue;
      const lost =
        gone === true ||
        (gone !== undefined && gone.includes(name)) ||
        restarted ||
        rules.previousLost.has(`${backend}:${name}`);
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
