import type { CliIo } from './cli-io.js';

/**
 * The exit status of `plan`, `orphans` and `orphans clean` when an observation they depend on
 * was unavailable (a hung or missing multiplexer, an unreadable /proc or review list ...): what
 * they report is incomplete, so neither "nothing to do" (0) nor "nothing found" may be said.
 */
export const EXIT_BLIND = 4;

/** What the command was blind to, as one line; null when everything could be observed. */
export function blindTo(unavailable: readonly string[] | undefined): string | null {
  return unavailable && unavailable.length > 0 ? unavailable.join('; ') : null;
}

/** Says on stderr, in one line, what is blind (nothing when nothing is). */
export function sayBlind(io: CliIo, blind: string | null): void {
  if (blind !== null)
    io.err(
      `helios-recover: blind: could not observe ${blind}; what this command reports is incomplete (exit ${EXIT_BLIND})\n`,
    );
}
