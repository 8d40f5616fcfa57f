import { z } from 'zod';

/**
 * The apiVersion this build writes. v2 added a session's windows and panes; a v1 document is
 * read as v2 (a session without windows is one window with one pane: specs/session-windows.ts).
 * Any other version is skipped for an older generation.
 */
export const API_VERSION = 'helios.recovery/v2';
export const READABLE_API_VERSIONS = ['helios.recovery/v1', API_VERSION] as const;
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
  .regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$/u, 'no control or invisible formatting characters');
const PLAIN_NAME = /^[A-Za-z0-9_@+-][A-Za-z0-9_@+=.-]*$/;

export const Multiplexer = z.enum(['zellij', 'tmux']);
export type Multiplexer = z.infer<typeof Multiplexer>;
/** Every multiplexer, in the order they are asked (tmux first: the fast path). */
export const MULTIPLEXERS: readonly Multiplexer[] = ['tmux', 'zellij'];

/**
 * Why `name` cannot name a `multiplexer` session exactly, or null. tmux addresses names with
 * spaces, `#` or unicode exactly (`=NAME`), but not every name: it rewrites `.` and `:` and
 * escapes `\` and `$NAME` (the session would never be found again), reads a target starting
 * with `$` as a session id and one with `/` as a client's tty when no session has that name
 * (so another session would be tagged, typed into or killed): those are refused. zellij's
 * names stay plain (letters, digits and _ @ + = . -): its socket and resurrection paths are
 * built from them.
 */
export function sessionNameProblem(name: string, multiplexer: Multiplexer): string | null {
  if (!SessionName.safeParse(name).success) return 'no control or invisible formatting characters';
  if (multiplexer === 'zellij' && !PLAIN_NAME.test(name))
    return 'a zellij session name holds letters, digits and _ @ + = . - only';
  if (multiplexer !== 'tmux') return null;
  if (/[.:]/.test(name)) return TMUX_DOTTED_NAME;
  if (/[\\$/]/.test(name))
    return 'tmux escapes "\\" and "$", and reads "$" and "/" in a target as an id or a tty, so this name would not be addressed exactly';
  return null;
}
const TMUX_DOTTED_NAME =
  'tmux rewrites "." and ":" in session names, so this name would not be found again';

const Scrollback = z
  .string()
  .refine((text) => Buffer.byteLength(text, 'utf8') <= MAX_SCROLLBACK_BYTES, {
    message: `scrollback exceeds ${MAX_SCROLLBACK_BYTES} bytes`,
  });
const Environment = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), ProcessText);
/** tmux's `#{window_layout}`: a checksum, then cells; tmux parses it again on restore. */
const LayoutString = z
  .string()
  .max(8192)
  .regex(/^[0-9a-f]{4},\d+x\d+,\d+,\d+[0-9x,{}[\]]*$/, 'not a tmux layout string');
const Label = z
  .string()
  .max(256)
  .refine((text) => !/[\p{Cc}]/u.test(text), 'control character');

/** One pane of a window: where it runs, what ran in it and what it showed. */
export const PaneSpec = z.object({
  index: z.number().int().nonnegative(),
  workingDirectory: AbsolutePath,
  active: z.boolean(),
  title: Label.optional(),
  /** The program in the pane's foreground when it was saved, as its argv (absent: its shell). */
  program: z.array(ProcessText).min(1).max(256).optional(),
  /** Variables this pane has that its session's environment lacks or sets otherwise. */
  environment: Environment.optional(),
  scrollback: Scrollback,
});
export type PaneSpec = z.infer<typeof PaneSpec>;

const uniqueIndexes = (items: readonly { index: number }[], what: string, ctx: z.RefinementCtx) => {
  if (new Set(items.map((item) => item.index)).size !== items.length)
    ctx.addIssue({ code: 'custom', message: `two ${what} with one index` });
};

/** One window (tmux) or tab (zellij): its panes and how they are laid out. */
export const WindowSpec = z
  .object({
    index: z.number().int().nonnegative(),
    name: Label,
    /** Whether the multiplexer names it after its program (tmux automatic-rename). */
    automaticRename: z.boolean().optional(),
    layout: LayoutString.optional(),
    active: z.boolean(),
    /** The window selected before the active one (tmux's `-` flag). */
    last: z.boolean().optional(),
    zoomed: z.boolean(),
    panes: z.array(PaneSpec).min(1).max(512),
  })
  .superRefine((window, ctx) => uniqueIndexes(window.panes, 'panes', ctx));
export type WindowSpec = z.infer<typeof WindowSpec>;

const SessionEntryFields = z.object({
  sessionId: Identifier,
  terminalId: z.string().min(1),
  laneId: Identifier.nullable(),
  multiplexer: Multiplexer,
  sessionName: SessionName,
  workingDirectory: AbsolutePath,
  environment: Environment,
  shellCommand: z.array(ProcessText).min(1),
  scrollback: Scrollback,
  /**
   * The session's windows and panes (v2). Absent: one window with one pane, the session's own
   * cwd, command and scrollback (a v1 document, an import that knows no more).
   */
  windows: z.array(WindowSpec).min(1).max(512).optional(),
  checksum: Checksum,
});

const tmuxNameRule = (
  session: {
    multiplexer: Multiplexer;
    sessionName: string;
    windows?: readonly { index: number }[] | undefined;
  },
  ctx: z.RefinementCtx,
) => {
  const problem = sessionNameProblem(session.sessionName, session.multiplexer);
  if (problem) ctx.addIssue({ code: 'custom', path: ['sessionName'], message: problem });
  if (session.windows) uniqueIndexes(session.windows, 'windows', ctx);
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
  apiVersion: z.enum(READABLE_API_VERSIONS),
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
  apiVersion: z.literal(API_VERSION),
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
