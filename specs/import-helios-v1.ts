import { createHash } from 'node:crypto';
import { parse as parseShellWords } from 'shell-quote';
import { z } from 'zod';
import { type CheckpointDraft, describeZodError, truncateScrollback } from './checkpoint-codec.js';
import { type Multiplexer, SessionDraftSpec } from './checkpoint-spec.js';

/** The heliosApp v1 `Checkpoint` shape (note the app's own spelling `zelijjSessionName`). */
export const HeliosV1CheckpointSpec = z.object({
  version: z.literal(1),
  timestamp: z.union([z.number(), z.string()]),
  checksum: z.string(),
  sessions: z.array(
    z.object({
      sessionId: z.string().min(1),
      terminalId: z.string().min(1),
      laneId: z.string().nullable(),
      workingDirectory: z.string(),
      environmentVariables: z.record(z.string(), z.string()),
      scrollbackSnapshot: z.string(),
      zelijjSessionName: z.string().min(1),
      shellCommand: z.union([z.string(), z.array(z.string())]),
    }),
  ),
});
export type HeliosV1CheckpointSpec = z.infer<typeof HeliosV1CheckpointSpec>;

/**
 * Splits a command line as a POSIX shell splits words (quotes, escapes; `$VAR` kept literally,
 * since nothing here may expand it): `"/bin/bash -l"` is `["/bin/bash", "-l"]`. A line with
 * shell operators or comments is a shell script: it runs as `/bin/sh -c LINE` (said in `notes`).
 */
function splitShellCommand(line: string, notes: string[], id: string): string[] | string {
  const words = parseShellWords(line, (name) => `$${name}`);
  const odd = words.find((word) => typeof word !== 'string');
  if (odd !== undefined) {
    // heliosApp runs such a string through a shell: so does the restore.
    notes.push(
      `session ${id}: shellCommand "${line}" has ${'op' in odd ? `the shell operator ${String(odd.op)}` : 'a comment'}: it runs as /bin/sh -c, as heliosApp runs it`,
    );
    return ['/bin/sh', '-c', line];
  }
  if (words.length === 0) return 'the shell command is empty';
  return words as string[];
}

/** heliosApp's own checksum: lowercase sha256 hex, no prefix, of `JSON.stringify(sessions)`. */
export function heliosV1ChecksumProblem(raw: {
  checksum?: unknown;
  sessions?: unknown;
}): string | null {
  const expected = heliosV1Checksum(raw.sessions);
  return raw.checksum === expected
    ? null
    : `its checksum ${JSON.stringify(raw.checksum)} does not match its sessions (sha256 ${expected})`;
}

/** heliosApp's checksum of a session list (as written: unknown fields count too). */
export const heliosV1Checksum = (sessions: unknown): string =>
  createHash('sha256').update(JSON.stringify(sessions)).digest('hex');

/** A heliosApp v1 file's text, parsed: the checkpoint and, if its checksum fails, why. */
export type ParsedHeliosV1 =
  | { readonly ok: true; readonly data: HeliosV1CheckpointSpec; readonly tampered: string | null }
  | { readonly ok: false; readonly reason: string };

/**
 * Parses a heliosApp v1 file: JSON, then its schema, then its checksum over the sessions as
 * written (before the schema drops fields it does not know).
 */
export function parseHeliosV1(text: string): ParsedHeliosV1 {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  const parsed = HeliosV1CheckpointSpec.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      reason: `not a heliosApp v1 checkpoint: ${describeZodError(parsed.error)}`,
    };
  const tampered = heliosV1ChecksumProblem(raw as { checksum?: unknown; sessions?: unknown });
  return { ok: true, data: parsed.data, tampered };
}

type V1Session = HeliosV1CheckpointSpec['sessions'][number];
type SessionDraft = CheckpointDraft['sessions'][number];

/** What an import made of a heliosApp file: the draft, what failed alone, what was normalised. */
export interface V1Conversion {
  readonly draft: CheckpointDraft;
  /** Sessions left out, one line each naming the session and the field. */
  readonly failed: readonly string[];
  /** What was changed to fit (empty laneId, `~` in a cwd, env names no shell can export). */
  readonly normalised: readonly string[];
}

const PORTABLE_ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function convertSession(
  session: V1Session,
  home: string,
  notes: string[],
  multiplexer: Multiplexer,
): SessionDraft | string {
  const id = session.sessionId;
  let laneId = session.laneId;
  if (laneId === '') {
    laneId = null;
    notes.push(`session ${id}: empty laneId read as no lane`);
  }
  let cwd = session.workingDirectory;
  if (cwd === '~' || cwd.startsWith('~/')) {
    cwd = `${home}${cwd.slice(1)}`;
    notes.push(`session ${id}: workingDirectory ${session.workingDirectory} expanded to ${cwd}`);
  }
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(session.environmentVariables)) {
    if (PORTABLE_ENV_NAME.test(key)) environment[key] = value;
    else notes.push(`session ${id}: environment variable ${key} dropped (no shell can export it)`);
  }
  let shellCommand: string[];
  if (Array.isArray(session.shellCommand)) shellCommand = session.shellCommand;
  else {
    const words = splitShellCommand(session.shellCommand, notes, id);
    if (typeof words === 'string') return `session ${id}: shellCommand: ${words}`;
    shellCommand = words;
  }
  const draft = {
    sessionId: id,
    terminalId: session.terminalId,
    laneId,
    multiplexer,
    sessionName: session.zelijjSessionName,
    workingDirectory: cwd,
    environment,
    shellCommand,
    scrollback: truncateScrollback(session.scrollbackSnapshot),
  };
  const checked = SessionDraftSpec.safeParse(draft);
  return checked.success ? draft : `session ${id}: ${describeZodError(checked.error)}`;
}

/** Two sessions with one id or one name cannot both be restored: both are named. */
export function duplicateProblem(sessions: readonly SessionDraft[]): string | null {
  for (const field of ['sessionId', 'sessionName'] as const) {
    const seen = new Map<string, string>();
    for (const session of sessions) {
      const first = seen.get(session[field]);
      if (first !== undefined)
        return `sessions ${first} and ${session.sessionId} share the ${field === 'sessionId' ? 'id' : 'name'} ${session[field]}`;
      seen.set(session[field], session.sessionId);
    }
  }
  return null;
}

/**
 * Converts a heliosApp v1 checkpoint into a v1 desired-state draft, session by session: a string
 * shell command is split into words as a shell would, what heliosApp accepts but a checkpoint
 * cannot hold is normalised and said, and a session that still does not fit fails alone with
 * a one-line reason. Sessions run on the multiplexer the caller chose (zellij, as in the app,
 * by default); lanes come from the caller.
 */
export function convertHeliosV1(
  source: HeliosV1CheckpointSpec,
  options: {
    workspaceId: string;
    host: string;
    generation: number;
    home: string;
    /** The multiplexer the sessions run on: the caller's choice (heliosApp's default, zellij). */
    multiplexer?: Multiplexer | undefined;
  },
): V1Conversion {
  const failed: string[] = [];
  const normalised: string[] = [];
  const sessions: SessionDraft[] = [];
  for (const session of source.sessions) {
    const converted = convertSession(
      session,
      options.home,
      normalised,
      options.multiplexer ?? 'zellij',
    );
    if (typeof converted === 'string') failed.push(converted);
    else sessions.push(converted);
  }
  return {
    draft: {
      workspaceId: options.workspaceId,
      generation: options.generation,
      createdAt: new Date(source.timestamp).toISOString(),
      host: options.host,
      sessions,
      lanes: [],
      shareWorkers: [],
    },
    failed,
    normalised,
  };
}
