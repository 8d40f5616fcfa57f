import type { SessionEntrySpec } from './checkpoint-spec.js';
import { heliosV1Checksum, type HeliosV1CheckpointSpec } from './import-helios-v1.js';
import { activePaneOf } from './session-windows.js';

/*
 * heliosApp's own checkpoint shape, for the host that keeps writing it: built from a
 * desired-state document (the way back from `import helios-v1`) and checked as heliosApp
 * checks it. Its checksum is lowercase sha256 hex of `JSON.stringify(sessions)`.
 */

type HostSession = HeliosV1CheckpointSpec['sessions'][number];

/** heliosApp's checksum of `sessions`. */
export const hostChecksum = (sessions: readonly HostSession[]): string =>
  heliosV1Checksum(sessions);

/**
 * A desired state's sessions in heliosApp's shape: each session's cwd, variables and command,
 * the scrollback of the pane it shows. Windows and panes beyond it have no place there: a host
 * that needs them keeps the desired-state document.
 */
export function toHostCheckpoint(desired: {
  readonly createdAt: string;
  readonly sessions: readonly SessionEntrySpec[];
}): HeliosV1CheckpointSpec {
  const sessions = desired.sessions.map((session): HostSession => ({
    sessionId: session.sessionId,
    terminalId: session.terminalId,
    laneId: session.laneId,
    workingDirectory: session.workingDirectory,
    environmentVariables: { ...session.environment },
    scrollbackSnapshot: session.windows ? activePaneOf(session).scrollback : session.scrollback,
    zelijjSessionName: session.sessionName,
    shellCommand: [...session.shellCommand],
  }));
  return { version: 1, timestamp: desired.createdAt, checksum: hostChecksum(sessions), sessions };
}
