import { type CheckpointDraft, truncateScrollback } from './checkpoint-codec.js';
import {
  type PaneSpec,
  sessionNameProblem,
  stripSessionPrefix,
  uniqueSessionId,
  type WindowSpec,
} from './checkpoint-spec.js';
import { isShellProgram } from './program-restore.js';
import { labelText } from './session-windows.js';

export type ResurrectParse =
  | {
      readonly ok: true;
      readonly draft: CheckpointDraft;
      readonly warnings: readonly string[];
      /** Sessions of the file that are not in the draft (each named in the warnings). */
      readonly skipped: number;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * A field as the plugin's own restore reads it (bash `read` without `-r`): a backslash escapes
 * the next character. The plugin writes a cwd's first space as `\ `.
 */
function unescapeField(field: string): string {
  return field.replace(/\\(.)/gs, '$1');
}

/** A tmux session name as close to `name` as tmux keeps exactly (`.` and `:` become `-`). */
function addressableName(name: string, names: Set<string>): string {
  const replaced = name.replace(/[.:/\\$\p{Cc}\p{Cf}]+/gu, '-');
  const base = (replaced.replace(/-/g, '') ? replaced : 'session').slice(0, 100);
  let candidate = base;
  for (let n = 2; names.has(candidate); n += 1) candidate = `${base}-${n}`;
  return candidate;
}

type Pane = PaneSpec & {
  readonly window: number;
  readonly windowActive: boolean;
  readonly flags: string;
};
type Window = Omit<WindowSpec, 'panes'>;

/** Reads a `pane` line of any of the plugin's formats, told apart by where the `:`dir is. */
function readPane(
  fields: readonly string[],
  paneContents?: ReadonlyMap<string, string>,
): Pane | string {
  const at = fields[7]?.startsWith(':') ? 7 : fields[6]?.startsWith(':') ? 6 : -1;
  if (at < 0) return 'a pane line needs its :directory in field 7 (8 with a title)';
  const cwd = unescapeField(fields[at]!.slice(1));
  if (!cwd.startsWith('/')) return `pane directory "${cwd}" is not an absolute path`;
  if (cwd.includes('\0')) return 'its directory holds a NUL byte';
  const [, session, window, windowActive, flags, index] = fields;
  const command = fields[at + 2] ?? '';
  const full = fields[at + 3]?.startsWith(':') ? fields[at + 3]!.slice(1).trim() : '';
  // The plugin saved `ps` args joined by spaces: split back on whitespace (quoting was lost).
  const argv = full ? full.split(/\s+/) : command ? [command] : [];
  // The ps line counts only when it is the command tmux saw in front (not a background job),
  // and a shell in front means no program.
  const front = baseName(command).replace(/^-/, '');
  const program =
    argv.length > 0 &&
    argv.length <= 256 &&
    !isShellProgram([front]) &&
    (!full || baseName(argv[0]!) === front)
      ? argv
      : undefined;
  const title = at === 7 && fields[6] ? labelText(fields[6]) : undefined;
  return {
    window: Number(window),
    windowActive: windowActive === '1',
    flags: (flags ?? '').replace(/^:/, ''),
    index: Number(index),
    workingDirectory: cwd,
    active: fields[at + 1] === '1',
    ...(title ? { title } : {}),
    ...(program ? { program } : {}),
    scrollback: truncateScrollback(paneContents?.get(`${session}:${window}.${index}`) ?? ''),
  };
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const LAYOUT = /^[0-9a-f]{4},\d+x\d+,\d+,\d+[0-9x,{}[\]]*$/;

/**
 * Converts a tmux-resurrect save file (tab-separated `pane`, `window` and `state` lines, of any
 * of the plugin's formats) into a desired-state draft: every session with all its windows
 * (index, name, layout, zoom, active and last window, automatic-rename) and panes (index, cwd
 * read as the plugin's restore reads it, title, active, the program with its arguments, the
 * pane's contents). A name tmux would rewrite is imported under the closest one it keeps, and
 * said so; every line that cannot be used is named with its number. Pure.
 */
export function convertTmuxResurrect(
  text: string,
  options: {
    workspaceId: string;
    host: string;
    generation: number;
    createdAt: string;
    shell: string;
    /** The plugin's pane contents by `session:window.pane`. */
    paneContents?: ReadonlyMap<string, string> | undefined;
  },
): ResurrectParse {
  const panes = new Map<string, Pane[]>();
  const windows = new Map<string, Window>();
  const warnings: string[] = [];
  const bad = new Set<string>();
  for (const [index, line] of text.split('\n').entries()) {
    const fields = line.split('\t');
    const where = `line ${index + 1}`;
    if (fields[0] === 'pane') {
      const pane = readPane(fields, options.paneContents);
      if (typeof pane === 'string') {
        if (!fields[1] || fields.length < 10) return { ok: false, reason: `${where}: ${pane}` };
        warnings.push(`${where}: session "${fields[1]}" skipped: ${pane}`);
        bad.add(fields[1]);
        continue;
      }
      panes.set(fields[1]!, [...(panes.get(fields[1]!) ?? []), pane]);
    } else if (fields[0] === 'window' && fields.length >= 7) {
      const [, session, w, name, active, flags, layout, autoName] = fields as string[];
      const valid = LAYOUT.test(layout ?? '');
      if (!valid)
        warnings.push(`${where}: window ${session}:${w} has no usable layout ("${layout}")`);
      windows.set(`${session}\t${w}`, {
        index: Number(w),
        name: labelText((name ?? '').replace(/^:/, '')),
        // `:` is unset, which tmux reads as on; `off` only when the user turned it off.
        // Files before the plugin saved it (7 fields) kept every name: the names are kept.
        automaticRename: autoName !== undefined && autoName !== 'off',
        ...(valid ? { layout: layout! } : {}),
        active: active === '1',
        last: (flags ?? '').includes('-'),
        zoomed: (flags ?? '').includes('Z'),
      });
    } else if (fields[0] === 'grouped_session') {
      warnings.push(
        `${where}: grouped session ${fields[1]} is not imported (grouped sessions are not supported)`,
      );
    } else if (line.trim() && fields[0] !== 'state') {
      warnings.push(`${where}: not a pane, window or state line: ignored`);
    }
  }
  if (panes.size === 0 && bad.size === 0)
    return { ok: false, reason: 'no pane lines: not a tmux-resurrect save file' };

  const sessions: CheckpointDraft['sessions'][number][] = [];
  const used = new Set<string>();
  const names = new Set([...panes.keys()].filter((name) => !sessionNameProblem(name, 'tmux')));
  for (const [original, list] of [...panes.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (bad.has(original)) continue;
    let name = original;
    if (sessionNameProblem(original, 'tmux')) {
      name = addressableName(original, names);
      names.add(name);
      warnings.push(`session "${original}" is imported as ${name}: tmux would rewrite its name`);
    }
    const byWindow = new Map<number, Pane[]>();
    for (const pane of list)
      byWindow.set(pane.window, [...(byWindow.get(pane.window) ?? []), pane]);
    const spec: WindowSpec[] = [...byWindow.entries()]
      .sort(([a], [b]) => a - b)
      .map(([w, members]) => {
        const saved = windows.get(`${original}\t${w}`);
        const first = members[0]!;
        return {
          ...(saved ?? {
            index: w,
            name: '',
            automaticRename: true,
            active: first.windowActive,
            last: first.flags.includes('-'),
            zoomed: first.flags.includes('Z'),
          }),
          panes: members
            .sort((a, b) => a.index - b.index)
            .map(({ window: _w, windowActive: _a, flags: _f, ...pane }) => pane),
        };
      });
    const firstPane = spec[0]!.panes[0]!;
    const sessionId = uniqueSessionId(stripSessionPrefix(name), used);
    sessions.push({
      sessionId,
      terminalId: sessionId,
      laneId: null,
      multiplexer: 'tmux',
      sessionName: name,
      workingDirectory: firstPane.workingDirectory,
      environment: {},
      shellCommand: [options.shell],
      scrollback: '',
      windows: spec,
    });
  }
  if (sessions.length === 0) return { ok: false, reason: warnings[0] ?? 'no session to import' };
  return {
    ok: true,
    warnings,
    skipped: bad.size,
    draft: {
      workspaceId: options.workspaceId,
      generation: options.generation,
      createdAt: options.createdAt,
      host: options.host,
      sessions,
      lanes: [],
      shareWorkers: [],
    },
  };
}
