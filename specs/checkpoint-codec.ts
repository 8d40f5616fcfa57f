import type { z } from 'zod';
import { computeChecksum, hasValidChecksum, withChecksum } from './canonical-json.js';
import {
  API_VERSION,
  READABLE_API_VERSIONS,
  CheckpointEnvelopeSpec,
  CheckpointSpec,
  LaneEntrySpec,
  MAX_SCROLLBACK_BYTES,
  SessionEntrySpec,
  ShareWorkerEntrySpec,
} from './checkpoint-spec.js';
import type { CorruptEntry, DesiredState, EntryKind } from './desired-state.js';
import { entryKey, sessionKey } from './resource-keys.js';

export type DecodeResult =
  | { readonly ok: true; readonly desired: DesiredState }
  | { readonly ok: false; readonly reason: string };

/** One line naming the first schema problem, e.g. `sessions.0.cwd: expected string`. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
}

/**
 * Decodes a checkpoint file's text. A document that does not parse, has an unknown apiVersion
 * or a broken envelope is refused (the caller falls back to an older generation); an entry that
 * fails its schema or checksum is isolated as a `CorruptEntry` and the rest is used.
 */
export function decodeCheckpoint(text: string): DecodeResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const apiVersion = (raw as Record<string, unknown>).apiVersion;
  if (!(READABLE_API_VERSIONS as readonly unknown[]).includes(apiVersion)) {
    return { ok: false, reason: `unknown apiVersion ${JSON.stringify(apiVersion)}` };
  }
  const envelope = CheckpointEnvelopeSpec.safeParse(raw);
  if (!envelope.success) return { ok: false, reason: describeZodError(envelope.error) };

  const corrupt: CorruptEntry[] = [];
  const verifiedSessions = verifyEntries(
    envelope.data.sessions,
    'session',
    'sessionId',
    SessionEntrySpec,
    corrupt,
  );
  const sessions = rejectDuplicateNames(verifiedSessions, envelope.data.sessions, corrupt);
  const lanes = verifyEntries(envelope.data.lanes, 'lane', 'laneId', LaneEntrySpec, corrupt);
  const shareWorkers = verifyEntries(
    envelope.data.shareWorkers,
    'shareWorker',
    'shareId',
    ShareWorkerEntrySpec,
    corrupt,
  );
  const warnings: string[] = [];
  if (!hasValidChecksum(raw as Record<string, unknown>)) {
    warnings.push('document checksum does not match; entries were verified one by one');
  }
  const { workspaceId, generation, createdAt, host } = envelope.data;
  return {
    ok: true,
    desired: {
      workspaceId,
      generation,
      createdAt,
      host,
      sessions,
      lanes,
      shareWorkers,
      corrupt,
      warnings,
    },
  };
}

function verifyEntries<S extends z.ZodType<Record<string, unknown>>>(
  entries: readonly unknown[],
  kind: EntryKind,
  idField: string,
  schema: S,
  corrupt: CorruptEntry[],
): z.infer<S>[] {
  const valid: z.infer<S>[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const rawId =
      typeof entry === 'object' && entry !== null
        ? (entry as Record<string, unknown>)[idField]
        : undefined;
    const id = typeof rawId === 'string' && rawId.length > 0 ? rawId : null;
    const key = entryKey(kind, id, index);
    const fail = (detail: string) => corrupt.push({ key, kind, id, index, detail });
    const parsed = schema.safeParse(entry);
    if (!parsed.success) return fail(describeZodError(parsed.error));
    if (!hasValidChecksum(parsed.data)) return fail('checksum mismatch');
    if (id !== null && seen.has(id)) return fail(`duplicate ${idField} ${id}`);
    if (id !== null) seen.add(id);
    valid.push(parsed.data);
  });
  return valid;
}

/** Two sessions of one backend cannot share a name: the later entries fail as corrupt. */
function rejectDuplicateNames(
  sessions: SessionEntrySpec[],
  rawSessions: readonly unknown[],
  corrupt: CorruptEntry[],
): SessionEntrySpec[] {
  const owner = new Map<string, string>();
  return sessions.filter((session) => {
    const name = `${session.multiplexer}:${session.sessionName}`;
    const first = owner.get(name);
    if (first === undefined) {
      owner.set(name, session.sessionId);
      return true;
    }
    corrupt.push({
      key: sessionKey(session.sessionId),
      kind: 'session',
      id: session.sessionId,
      index: rawSessions.findIndex(
        (raw) => (raw as { sessionId?: unknown }).sessionId === session.sessionId,
      ),
      detail: `session name ${session.sessionName} is already used by ${first}`,
    });
    return false;
  });
}

type Unsealed<T> = Omit<T, 'checksum'>;

/** What a writer provides; checksums are computed here. */
export interface CheckpointDraft {
  readonly workspaceId: string;
  readonly generation: number;
  readonly createdAt: string;
  readonly host: string;
  readonly sessions: readonly Unsealed<SessionEntrySpec>[];
  readonly lanes: readonly Unsealed<LaneEntrySpec>[];
  readonly shareWorkers: readonly Unsealed<ShareWorkerEntrySpec>[];
}

/**
 * Seals a draft into a valid document: scrollback truncated from the start to 64 KiB, every
 * entry and the document checksummed, and the result validated (throws on a writer bug).
 */
export function sealCheckpoint(draft: CheckpointDraft): CheckpointSpec {
  const document = {
    apiVersion: API_VERSION,
    kind: 'WorkspaceCheckpoint' as const,
    workspaceId: draft.workspaceId,
    generation: draft.generation,
    createdAt: draft.createdAt,
    host: draft.host,
    sessions: draft.sessions.map((s) =>
      withChecksum({
        ...s,
        scrollback: truncateScrollback(s.scrollback),
        ...(s.windows === undefined
          ? {}
          : {
              windows: s.windows.map((window) => ({
                ...window,
                panes: window.panes.map((pane) => ({
                  ...pane,
                  scrollback: truncateScrollback(pane.scrollback),
                })),
              })),
            }),
      }),
    ),
    lanes: draft.lanes.map((lane) => withChecksum({ ...lane })),
    shareWorkers: draft.shareWorkers.map((worker) => withChecksum({ ...worker })),
  };
  return CheckpointSpec.parse({ ...document, checksum: computeChecksum(document) });
}

/** Keeps the last `maxBytes` UTF-8 bytes of `text` without splitting a character. */
export function truncateScrollback(text: string, maxBytes = MAX_SCROLLBACK_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - maxBytes;
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start += 1;
  return bytes.subarray(start).toString('utf8');
}
