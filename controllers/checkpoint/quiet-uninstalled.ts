import type { CapturedSession } from '../../specs/actual-state.js';
import type { Multiplexer, SessionEntrySpec } from '../../specs/checkpoint-spec.js';

/**
 * Drops from `warnings` the "NAME not observed" of a multiplexer that is not installed (its
 * binary was not found: the reason clients/run-command.ts gives for ENOENT) and that neither
 * the previous checkpoint nor any observation has a session on: on a machine without zellij,
 * that is no news. A multiplexer that is installed but failed, or that an entry uses, keeps its
 * warning.
 */
export function quietUninstalled(
  warnings: string[],
  backends: readonly Multiplexer[],
  previous: readonly SessionEntrySpec[],
  captured: readonly CapturedSession[],
): void {
  for (const backend of backends) {
    const used =
      previous.some((entry) => entry.multiplexer === backend) ||
      captured.some((session) => session.backend === backend);
    const at = warnings.findIndex(
      (warning) =>
        warning.startsWith(`${backend} not observed: `) && warning.endsWith(' not found on PATH'),
    );
    if (!used && at >= 0) warnings.splice(at, 1);
  }
}
