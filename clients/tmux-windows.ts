import type { PaneSpec, SessionEntrySpec, WindowSpec } from '../specs/checkpoint-spec.js';
import { PANE_MARKER, sessionEnvironment } from '../specs/markers.js';
import { shellQuote } from '../specs/shell-quoting.js';
import { layoutSize, paneId, windowsOf } from '../specs/session-windows.js';
import type { ClientContext as ExecutorContext, StepResult } from './client-context.js';
import { firstLine } from './run-command.js';
import { armLauncherOf, batchBySize, commandsSize, runTmux } from './tmux-runner.js';
import type { TmuxCreateRequest } from './tmux-driver.js';
import { tmuxFormatLiteral } from './tmux-target.js';

/** What one pane beyond a session's first runs: its launcher, and the program to type into it. */
export interface PaneToCreate {
  readonly windowIndex: number;
  readonly paneIndex: number;
  /** The argv the pane starts with (its launcher). */
  readonly command: readonly string[];
}

/** A program to start again in a pane's shell, as the user would type it. */
export interface ProgramToType {
  readonly windowIndex: number;
  readonly paneIndex: number;
  readonly argv: readonly string[];
}

/** The server's `base-index` and `pane-base-index`: where tmux numbers new windows and panes. */
export interface TmuxBases {
  readonly window: number;
  readonly pane: number;
}

export const envFlags = (env: Readonly<Record<string, string>>) =>
  Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);

/** `-x W -y H` for a new session: the first window's saved size, so its splits fit. */
export function sessionSizeFlags(session: SessionEntrySpec): string[] {
  const size = layoutSize(windowsOf(session)[0]?.layout ?? '');
  return size ? ['-x', String(size.width), '-y', String(size.height)] : [];
}

/**
 * The tmux commands that give a just-created session (its first window and pane exist) the
 * rest of its checkpoint: its first window at its saved index and name, every other window,
 * every pane with its own cwd, variables and launcher, each saved layout (`select-layout` with
 * the layout string; tmux checks it), names and automatic-rename, the programs typed into their
 * panes' shells, the active pane of each window, zoom, and the last and active window. Targets
 * are exact (`=NAME:W.P`); names and cwds tmux expands as formats are given as literals.
 */
export function windowCommands(
  session: SessionEntrySpec,
  panes: readonly PaneToCreate[],
  programs: readonly ProgramToType[],
  bases: TmuxBases,
  envOf: (pane: PaneSpec, windowIndex: number) => Readonly<Record<string, string>>,
): string[][] {
  const windows = windowsOf(session);
  const at = targetIn(session.sessionName);
  const commandsOf = (w: number, p: number) =>
    panes.find((pane) => pane.windowIndex === w && pane.paneIndex === p);
  const out: string[][] = [];
  const first = windows[0]!;
  if (first.index !== bases.window)
    out.push(['move-window', '-d', '-s', at(bases.window), '-t', at(first.index)]);
  for (const window of windows) {
    // A pane's live index is its place in the window: the saved indexes, in order, map onto it.
    const liveIndex = (position: number) => bases.pane + position;
    window.panes.forEach((pane, position) => {
      if (window === first && position === 0) return;
      const spec = commandsOf(window.index, pane.index);
      if (!spec) return;
      const after = position === 0 ? null : liveIndex(position - 1);
      out.push(addPane(at, window, pane, after, envOf(pane, window.index), spec.command));
    });
    // A window tmux names after its program is left to tmux; a name the user gave is set.
    if (window === first && window.name && !window.automaticRename)
      out.push(['rename-window', '-t', at(window.index), tmuxFormatLiteral(window.name)]);
    if (window.layout && window.panes.length > 1)
      out.push(['select-layout', '-t', at(window.index), window.layout]);
    window.panes.forEach((pane, position) => {
      const program = programs.find(
        (p) => p.windowIndex === window.index && p.paneIndex === pane.index,
      );
      if (program) out.push(...typeProgram(at(window.index, liveIndex(position)), program.argv));
    });
    const active = window.panes.findIndex((pane) => pane.active);
    if (window.panes.length > 1 && active >= 0) {
      out.push(['select-pane', '-t', at(window.index, liveIndex(active))]);
      if (window.zoomed) out.push(['resize-pane', '-Z', '-t', at(window.index, liveIndex(active))]);
    }
  }
  const last = windows.find((window) => window.last && !window.active);
  const active = windows.find((window) => window.active);
  if (last) out.push(['select-window', '-t', at(last.index)]);
  if (active && (last || active !== first)) out.push(['select-window', '-t', at(active.index)]);
  return out;
}

/** Exact targets in session `name`: `=NAME:W` for a window, `=NAME:W.P` for a pane. */
export const targetIn =
  (name: string) =>
  (w: number, p?: number): string =>
    `=${name}:${w}${p === undefined ? '' : `.${p}`}`;

/**
 * The command that adds `pane` to `window`: the window itself (`new-window` at its index, with
 * the name the user gave it) when `after` is null, else a split off live pane `after`. Its cwd
 * is given as a literal (tmux expands `-c` as a format).
 */
export function addPane(
  at: (w: number, p?: number) => string,
  window: WindowSpec,
  pane: PaneSpec,
  after: number | null,
  env: Readonly<Record<string, string>>,
  command: readonly string[],
): string[] {
  const tail = ['-c', tmuxFormatLiteral(pane.workingDirectory), ...envFlags(env), '--', ...command];
  if (after !== null) return ['split-window', '-d', '-t', at(window.index, after), ...tail];
  // A window tmux names after its program gets no -n (tmux expands it as a format: a literal).
  const name = window.name && !window.automaticRename ? ['-n', tmuxFormatLiteral(window.name)] : [];
  return ['new-window', '-d', '-t', at(window.index), ...name, ...tail];
}

/** Types `argv` into the shell of pane `target`, quoted word by word, and runs it. */
export const typeProgram = (target: string, argv: readonly string[]): string[][] => [
  ['send-keys', '-t', target, '-l', '--', argv.map(shellQuote).join(' ')],
  ['send-keys', '-t', target, 'Enter'],
];

/** A pane's variables: its session's, its own, and the markers (with the pane's id). */
export function paneEnvironment(
  ctx: ExecutorContext,
  session: SessionEntrySpec,
  pane: PaneSpec,
  windowIndex: number,
): Record<string, string> {
  return {
    ...sessionEnvironment(ctx, {
      ...session,
      environment: { ...session.environment, ...pane.environment },
    }),
    [PANE_MARKER]: paneId(windowIndex, pane.index),
  };
}

/** The commands that give each created session its other windows and panes, by request. */
export async function shapeSessions(
  ctx: ExecutorContext,
  all: readonly TmuxCreateRequest[],
  known: TmuxBases | null,
): Promise<Map<TmuxCreateRequest, StepResult>> {
  const failures = new Map<TmuxCreateRequest, StepResult>();
  // A session saved without windows is one pane: nothing to add to what new-session made.
  const requests = all.filter((request) => request.session.windows !== undefined);
  if (requests.length === 0) return failures;
  const bases = known ?? (await readBases(ctx));
  const shaped = requests
    .map((request) => ({
      request,
      commands: windowCommands(
        request.session,
        request.panes ?? [],
        request.programs ?? [],
        bases,
        (pane, windowIndex) => paneEnvironment(ctx, request.session, pane, windowIndex),
      ),
    }))
    .filter((item) => item.commands.length > 0);
  for (const batch of batchBySize(shaped, (item) => commandsSize(item.commands))) {
    await Promise.all(
      batch.flatMap((item) => (item.request.panes ?? []).map((p) => armLauncherOf(p.command))),
    );
    const all = await runTmux(
      ctx.tmux,
      batch.flatMap((item) => item.commands),
      ctx,
    );
    if (all.status === 'exited' && all.exitCode === 0) continue;
    // tmux stopped at the failing command: each session's rest is not known, so each says so.
    for (const item of batch)
      failures.set(item.request, {
        ok: false,
        reason: `created tmux session ${item.request.session.sessionName}, but not all of its windows and panes: ${all.status === 'exited' ? firstLine(all.stderr) || `exit ${all.exitCode}` : all.reason}`,
      });
  }
  return failures;
}

/** The commands that print the server's base-index and pane-base-index, one per line. */
export const BASES_QUERY: readonly string[][] = [
  ['show-options', '-gv', 'base-index'],
  ['show-options', '-gwv', 'pane-base-index'],
];

/** The two numbers BASES_QUERY printed last in `stdout` (tmux's defaults, 0, if unreadable). */
export function parseBases(stdout: string): TmuxBases {
  const [window, pane] = stdout.trimEnd().split('\n').slice(-2).map(Number);
  return {
    window: Number.isInteger(window) ? window! : 0,
    pane: Number.isInteger(pane) ? pane! : 0,
  };
}

export async function readBases(ctx: ExecutorContext): Promise<TmuxBases> {
  const read = await runTmux(ctx.tmux, BASES_QUERY, ctx);
  return parseBases(read.status === 'exited' ? read.stdout : '');
}
