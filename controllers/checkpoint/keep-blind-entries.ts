import { blindPartsOf, type CapturedSession, type Observation } from '../../specs/actual-state.js';
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
