import type { CapturedSession } from '../../specs/actual-state.js';
import type { CheckpointSpec, SessionEntrySpec } from '../../specs/checkpoint-spec.js';
import {
  sessionNameProblem,
  stripSessionPrefix,
  uniqueSessionId,
} from '../../specs/checkpoint-spec.js';
import type { DesiredState } from '../../specs/desired-state.js';

export type SessionDraft = Omit<SessionEntrySpec, 'checksum'>;

/** A unique session id for a captured session: its tag, else its name without `helios-`. */
export function sessionIdOf(session: CapturedSession, used = new Set<string>()): string {
  return uniqueSessionId(session.sessionId ?? stripSessionPrefix(session.name), used);
}

export function toDrafts(
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

/** Whether a sealed document holds exactly what `previous` holds (an autosave writes nothing then). */
export function sameContent(document: CheckpointSpec, previous: DesiredState): boolean {
  const sums = (entries: readonly { readonly checksum: string }[]) =>
    entries
      .map((entry) => entry.checksum)
      .sort()
      .join(',');
  return (
    document.workspaceId === previous.workspaceId &&
    sums(document.sessions) === sums(previous.sessions) &&
    sums(document.lanes) === sums(previous.lanes) &&
    sums(document.shareWorkers) === sums(previous.shareWorkers)
  );
}

/** The entries whose live sessions' tags do not already say this workspace instance and entry. */
export function untaggedDrafts<
  T extends Pick<SessionDraft, 'multiplexer' | 'sessionName' | 'sessionId'>,
>(
  drafts: readonly T[],
  captured: readonly CapturedSession[],
  owner: { readonly workspaceId: string; readonly instanceId: string },
): T[] {
  const live = new Map(captured.map((c) => [`${c.backend}:${c.name}`, c]));
  return drafts.filter((draft) => {
    const session = live.get(`${draft.multiplexer}:${draft.sessionName}`);
    return !(
      session?.tagged === true &&
      session.workspaceId === owner.workspaceId &&
      session.instanceId === owner.instanceId &&
      session.sessionId === draft.sessionId
    );
  });
}
