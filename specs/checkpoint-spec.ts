import { z } from 'zod';

/** The one apiVersion this build understands; any other is skipped for an older generation. */
export const API_VERSION = 'helios.recovery/v1';
export const MAX_SCROLLBACK_BYTES = 64 * 1024;

const Checksum = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256:<64 lowercase hex>');
/** Text handed to a process (argv, env, cwd): a NUL byte cannot be passed, so it is refused. */
export const ProcessText = z
  .string()
  .refine(
    (text) => !text.includes('\0'),
    'contains a NUL byte, which no process argument can hold',
  );
const AbsolutePath = ProcessText.regex(/^\//, 'expected an absolute path');
const Identifier = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@+-]*$/, 'letters, digits and _ . @ + - only');

/**
 * A multiplexer session name: one the backends address exactly (no whitespace, `/` or `:`, not
 * starting with `.`). Whether it suits its entry's backend is `sessionNameProblem`'s question.
 */
export const SessionName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_@+-][A-Za-z0-9_@+=.-]*$/, 'letters, digits and _ @ + = . - only');

export const Multiplexer = z.enum(['zellij', 'tmux']);
export type Multiplexer = z.infer<typeof Multiplexer>;
/** Every multiplexer, in the order they are asked (tmux first: the fast path). */
export const MULTIPLEXERS: readonly Multiplexer[] = ['tmux', 'zellij'];

/**
 * Why `name` cannot name a `multiplexer` session exactly, or null. tmux rewrites `.` (and `:`)
 * in session names, so a dotted name would never be found again; zellij takes any name but
 * `.`, `..` and ones with `/` (its socket-path limit is checked when the session is created).
 */
export function sessionNameProblem(name: string, multiplexer: Multiplexer): string | null {
  if (!SessionName.safeParse(name).success)
    return 'letters, digits and _ @ + = . - only, not starting with .';
  return multiplexer === 'tmux' && name.includes('.') ? TMUX_DOTTED_NAME : null;
}
const TMUX_DOTTED_NAME =
  'tmux rewrites "." in session names, so this name would not be found again';

const SessionEntryFields = z.object({
  sessionId: Identifier,
  terminalId: z.string().min(1),
  laneId: Identifier.nullable(),
  multiplexer: Multiplexer,
  sessionName: SessionName,
  workingDirectory: AbsolutePath,
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), ProcessText),
  shellCommand: z.array(ProcessText).min(1),
  scrollback: z.string().refine((text) => Buffer.byteLength(text, 'utf8') <= MAX_SCROLLBACK_BYTES, {
    message: `scrollback exceeds ${MAX_SCROLLBACK_BYTES} bytes`,
  }),
  checksum: Checksum,
});

const tmuxNameRule = (
  session: { multiplexer: Multiplexer; sessionName: string },
  ctx: z.RefinementCtx,
) => {
  if (session.multiplexer === 'tmux' && session.sessionName.includes('.'))
    ctx.addIssue({ code: 'custom', path: ['sessionName'], message: TMUX_DOTTED_NAME });
};
/** One terminal session of the workspace: what a respawn recreates. */
export const SessionEntrySpec = SessionEntryFields.superRefine(tmuxNameRule);
/** A session entry before it is sealed (no checksum yet), under the same rules. */
export const SessionDraftSpec = SessionEntryFields.omit({ checksum: true }).superRefine(
  tmuxNameRule,
);
export type SessionEntrySpec = z.infer<typeof SessionEntrySpec>;

/** A git worktree "lane" of the workspace. */
export const LaneEntrySpec = z.object({
  laneId: Identifier,
  repository: AbsolutePath,
  worktreePath: AbsolutePath,
  branch: z.string().min(1),
  checksum: Checksum,
});
export type LaneEntrySpec = z.infer<typeof LaneEntrySpec>;

/** A share worker attached to a terminal. */
export const ShareWorkerEntrySpec = z.object({
  shareId: Identifier,
  terminalId: z.string().min(1),
  command: z.array(ProcessText).min(1),
  checksum: Checksum,
});
export type ShareWorkerEntrySpec = z.infer<typeof ShareWorkerEntrySpec>;

/**
 * The envelope of the document. Entries are validated one by one afterwards so that a corrupt
 * entry fails alone (`checkpoint_corrupt`) while the rest of the document is used.
 */
export const CheckpointEnvelopeSpec = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('WorkspaceCheckpoint'),
  workspaceId: Identifier,
  generation: z.number().int().nonnegative(),
  createdAt: z.iso.datetime({ offset: true }),
  host: z.string(),
  sessions: z.array(z.unknown()),
  lanes: z.array(z.unknown()).default([]),
  shareWorkers: z.array(z.unknown()).default([]),
  checksum: z.string(),
});
export type CheckpointEnvelopeSpec = z.infer<typeof CheckpointEnvelopeSpec>;

/** The full, valid document as a writer produces it. */
export const CheckpointSpec = CheckpointEnvelopeSpec.extend({
  sessions: z.array(SessionEntrySpec),
  lanes: z.array(LaneEntrySpec),
  shareWorkers: z.array(ShareWorkerEntrySpec),
  checksum: Checksum,
});
export type CheckpointSpec = z.infer<typeof CheckpointSpec>;

/** A session name without the default `helios-` prefix: `helios-s1` -> `s1`. */
export function stripSessionPrefix(name: string): string {
  return name.replace(/^helios-(?=.)/, '');
}

/**
 * A valid session id from any text (a tag, a name without its prefix): characters an id may not
 * hold become `-`; kept unique within `used` by a `-2`, `-3` ... suffix (then added to it).
 */
export function uniqueSessionId(raw: string, used: Set<string>): string {
  const base = (
    raw.replace(/[^A-Za-z0-9_.@+-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'session'
  ).slice(0, 120);
  let id = base;
  for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
  used.add(id);
  return id;
}
