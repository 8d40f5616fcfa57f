import { randomBytes } from 'node:crypto';
import type { PaneSpec, WindowSpec } from '../specs/checkpoint-spec.js';
import { isShellProgram } from '../specs/program-restore.js';
import { labelText } from '../specs/session-windows.js';
import { captureEnvironment } from './capture-environment.js';
import { readForegroundArgv, readProcess } from './proc-table.js';
import { batchBySize, commandsSize, runTmux, type TmuxCallOptions } from './tmux-runner.js';
import type { TmuxTarget } from './tmux-target.js';

/** Lines of history captured per pane (the checkpoint keeps at most 64 KiB of each). */
const HISTORY_LINES = 2000;
/** tmux calls capturing scrollback at once. */
const CAPTURES_IN_FLIGHT = 2;
const SEP = '\x1f';

/** Every field of a pane, and of its window, in one `list-panes -a` call. Free text last. */
const FIELDS = [
  '#{session_name}',
  '#{window_index}',
  '#{window_active}',
  '#{window_last_flag}',
  '#{window_zoomed_flag}',
  '#{window_layout}',
  '#{automatic-rename}',
  '#{pane_index}',
  '#{pane_active}',
  '#{pane_id}',
  '#{pane_pid}',
  '#{alternate_on}',
  '#{history_size}',
  '#{window_name}',
  '#{pane_title}',
  '#{pane_current_path}',
];

/** One pane as listed, with what the capture still has to read for it. */
export interface ListedPane {
  readonly session: string;
  readonly window: Omit<WindowSpec, 'panes'>;
  readonly pane: Omit<PaneSpec, 'scrollback'>;
  readonly paneId: string;
  readonly pid: number;
  readonly alternate: boolean;
  /** Lines have scrolled off its screen (asked for past the top, tmux gives the screen). */
  readonly history: boolean;
}

/**
 * Parses `list-panes -a -F` output made with FIELDS (separated by US, each record ending in US
 * and the random `endMark`): names and paths may hold tabs and newlines, never the end mark. A
 * record that does not split into its fields names its session in `unreadable`.
 */
export function parseTmuxPanes(
  stdout: string,
  endMark: string,
): { panes: ListedPane[]; unreadable: Set<string> } {
  const panes: ListedPane[] = [];
  const unreadable = new Set<string>();
  for (const record of stdout.split(`${SEP}${endMark}\n`)) {
    if (record.length === 0) continue;
    const fields = record.split(SEP);
    if (fields.length !== FIELDS.length) {
      unreadable.add(fields[0] ?? '');
      continue;
    }
    const [
      session,
      w,
      wActive,
      wLast,
      zoomed,
      layout,
      autoName,
      p,
      pActive,
      paneId,
      pid,
      alt,
      hist,
    ] = fields as [string, ...string[]];
    const [name, rawTitle, cwd] = fields.slice(13) as [string, string, string];
    // A dead pane kept by remain-on-exit has no cwd: nothing of it can be started again.
    if (!cwd.startsWith('/')) continue;
    const title = labelText(rawTitle);
    panes.push({
      session,
      window: {
        index: Number(w),
        name: labelText(name),
        automaticRename: autoName === '1' || autoName === 'on',
        ...(layout ? { layout } : {}),
        active: wActive === '1',
        last: wLast === '1',
        zoomed: zoomed === '1',
      },
      pane: {
        index: Number(p),
        workingDirectory: cwd,
        active: pActive === '1',
        ...(title ? { title } : {}),
      },
      paneId: paneId!,
      pid: Number(pid),
      alternate: alt === '1',
      history: Number(hist) > 0,
    });
  }
  return { panes, unreadable };
}

/**
 * The scrollback of each pane, from its normal screen: for a pane showing a program's alternate
 * screen (vim, less), the history and the screen saved under it, never the program's screen.
 * Batched by command size (at most 64 panes a call), each capture followed by a random mark,
 * a new one for every call.
 */
async function captureScrollback(
  tmux: TmuxTarget,
  panes: readonly ListedPane[],
  call: TmuxCallOptions,
): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const history = ['-S', `-${HISTORY_LINES}`];
  const commandsOf = (pane: ListedPane, mark: string) => [
    ...(pane.alternate
      ? [
          ...(pane.history
            ? [['capture-pane', '-p', '-J', ...history, '-E', '-1', '-t', pane.paneId]]
            : []),
          ['capture-pane', '-p', '-J', '-a', '-q', '-t', pane.paneId],
        ]
      : [['capture-pane', '-p', '-J', ...history, '-t', pane.paneId]]),
    ['display-message', '-p', mark],
  ];
  const newMark = () => `helios-end-${randomBytes(8).toString('hex')}`;
  /** The captures of `some`, one text each; null when the call failed or its marks do not
   * split it exactly (a pane that printed the mark, which it may read from our tmux client). */
  const captured = async (some: readonly ListedPane[]): Promise<string[] | null> => {
    const mark = newMark();
    const result = await runTmux(
      tmux,
      some.flatMap((pane) => commandsOf(pane, mark)),
      call,
    );
    if (result.status !== 'exited' || result.exitCode !== 0) return null;
    const parts = result.stdout.split(`${mark}\n`);
    return parts.length === some.length + 1 && parts.at(-1) === '' ? parts.slice(0, -1) : null;
  };
  const capture = async (batch: readonly ListedPane[]) => {
    const split = await captured(batch);
    if (split) {
      batch.forEach((pane, n) => texts.set(pane.paneId, split[n]!.trimEnd()));
      return;
    }
    // tmux stops at a pane that closed meanwhile, and a pane may print a mark: the others are
    // captured one by one, and a pane whose capture still does not split keeps no scrollback.
    for (const pane of batch) {
      const alone = await captured([pane]);
      if (alone) texts.set(pane.paneId, alone[0]!.trimEnd());
    }
  };
  // The server captures one call at a time; two in flight hide each client's start and reading.
  const sample = newMark();
  const batches = batchBySize(panes, (pane) => commandsSize(commandsOf(pane, sample)));
  const next = async (): Promise<void> => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) await capture(batch);
  };
  await Promise.all(Array.from({ length: CAPTURES_IN_FLIGHT }, next));
  return texts;
}

/** Every pane of the server in one call, or why it could not be listed. */
export async function listTmuxPanes(
  tmux: TmuxTarget,
  call: TmuxCallOptions,
): Promise<{ panes: ListedPane[]; unreadable: Set<string> } | { problem: string }> {
  const endMark = randomBytes(8).toString('hex');
  const format = `${FIELDS.join(SEP)}${SEP}${endMark}`;
  const listed = await runTmux(tmux, [['list-panes', '-a', '-F', format]], call);
  if (listed.status !== 'exited' || listed.exitCode !== 0)
    return { problem: listed.status === 'exited' ? listed.stderr.trim() : listed.reason };
  return parseTmuxPanes(listed.stdout, endMark);
}

/**
 * The windows of each listed session with every pane's cwd, title, foreground program (its argv
 * from /proc: the leader of the terminal's foreground group, or the pane's own process when that
 * is neither a shell nor the session's own command, which every pane starts with again), the
 * variables it has beyond its session's environment, and its scrollback.
 */
export async function captureWindows(
  tmux: TmuxTarget,
  panes: readonly ListedPane[],
  base: Readonly<Record<string, string>>,
  sessionOf: (session: string) => {
    readonly environment: Readonly<Record<string, string>>;
    readonly shellCommand: readonly string[];
  },
  call: TmuxCallOptions,
): Promise<Map<string, WindowSpec[]>> {
  // tmux captures the scrollback while /proc is read here: the first calls are started (their
  // spawn waits for a turn of the event loop) before the synchronous reads begin.
  const scrollbackCaptured = captureScrollback(tmux, panes, call);
  await new Promise((resolve) => setImmediate(resolve));
  const full = await Promise.all(
    panes.map(async (listed): Promise<Omit<PaneSpec, 'scrollback'>> => {
      const [own, env] = await Promise.all([
        readProcess(listed.pid),
        captureEnvironment(listed.pid, base),
      ]);
      const foreground = own ? await readForegroundArgv(own) : null;
      const session = sessionOf(listed.session);
      const ownProgram =
        own &&
        own.argv.length > 0 &&
        !isShellProgram(own.argv) &&
        own.argv.join('\0') !== session.shellCommand.join('\0');
      const found = foreground ?? (ownProgram ? own.argv : null);
      // An argv too long to be a program worth typing again (`vim $(git ls-files)`) is left out.
      const program = found && found.length <= 256 ? found : null;
      const extra = Object.entries(env?.added ?? {}).filter(
        ([k, v]) => session.environment[k] !== v,
      );
      return {
        ...listed.pane,
        ...(program ? { program: [...program] } : {}),
        ...(extra.length > 0 ? { environment: Object.fromEntries(extra) } : {}),
      };
    }),
  );
  const scrollback = await scrollbackCaptured;
  const bySession = new Map<string, Map<number, WindowSpec>>();
  panes.forEach((listed, i) => {
    const windows = bySession.get(listed.session) ?? new Map<number, WindowSpec>();
    bySession.set(listed.session, windows);
    const window = windows.get(listed.window.index) ?? { ...listed.window, panes: [] };
    const pane = { ...full[i]!, scrollback: scrollback.get(listed.paneId) ?? '' };
    windows.set(listed.window.index, { ...window, panes: [...window.panes, pane] });
  });
  return new Map([...bySession].map(([name, windows]) => [name, [...windows.values()]]));
}
