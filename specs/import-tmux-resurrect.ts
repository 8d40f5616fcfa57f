import { type CheckpointDraft, truncateScrollback } from './checkpoint-codec.js';
import { sessionNameProblem, stripSessionPrefix, uniqueSessionId } from './checkpoint-spec.js';

const SHELLS = /^(ba|z|fi|da|k|mk|tc|c|a)?sh$/;
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

/**
 * A tmux session name that every backend addresses exactly, as close to `name` as it can be:
 * accents dropped (`café` -> `cafe`), any other character helios-recover cannot address (spaces,
 * dots, symbols) becomes `-`, unique among `names` (`-2`, `-3` ...).
 */
function addressableName(name: string, names: Set<string>): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const replaced = ascii.replace(/[^A-Za-z0-9_@+=-]+/g, '-').replace(/^=+/, '');
  const base = (/[A-Za-z0-9]/.test(replaced) ? replaced : 'session').slice(0, 100);
  let candidate = base;
  for (let n = 2; names.has(candidate); n += 1) candidate = `${base}-${n}`;
  return candidate;
}

/**
 * Converts a tmux-resurrect save file (tab-separated lines; `pane` lines are
 * `pane, session, window index, window active, :window flags, pane index, pane title,
 * :cwd, pane active, command, pid, history size`) into a desired-state draft: one tmux session
 * per resurrect session, in the cwd of its active pane. Only shells are re-run; another program
 * is replaced by the shell and said so; a name helios-recover cannot address is imported under
 * the closest one it can, and said so. Pure: the caller supplies the shell and the clock.
 */
export function convertTmuxResurrect(
  text: string,
  options: {
    workspaceId: string;
    host: string;
    generation: number;
    createdAt: string;
    shell: string;
    /** The plugin's pane contents by `session:window.pane`: the chosen pane's is replayed. */
    paneContents?: ReadonlyMap<string, string> | undefined;
  },
): ResurrectParse {
  const panes = new Map<string, { cwd: string; command: string; score: number; pane: string }>();
  const warnings: string[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (!line.startsWith('pane\t')) continue;
    const fields = line.split('\t');
    if (fields.length < 10)
      return {
        ok: false,
        reason: `line ${index + 1}: a pane line needs at least 10 tab-separated fields, found ${fields.length}`,
      };
    const session = fields[1]!;
    const cwd = unescapeField(fields[7]!.replace(/^:/, ''));
    if (!cwd.startsWith('/'))
      return {
        ok: false,
        reason: `line ${index + 1}: pane directory "${cwd}" is not an absolute path`,
      };
    // Prefer the active pane of the active window: that is where the user was.
    const score = (fields[3] === '1' ? 2 : 0) + (fields[8] === '1' ? 1 : 0);
    const known = panes.get(session);
    const pane = `${session}:${fields[2]}.${fields[5]}`;
    if (!known || score > known.score)
      panes.set(session, { cwd, command: fields[9] ?? '', score, pane });
  }
  if (panes.size === 0)
    return { ok: false, reason: 'no pane lines: not a tmux-resurrect save file' };
  const sessions: CheckpointDraft['sessions'][number][] = [];
  const used = new Set<string>();
  const ordered = [...panes.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const names = new Set(
    ordered.flatMap(([name]) => (sessionNameProblem(name, 'tmux') ? [] : [name])),
  );
  let skipped = 0;
  for (const [original, pane] of ordered) {
    let name = original;
    if (sessionNameProblem(original, 'tmux')) {
      name = addressableName(original, names);
      names.add(name);
      warnings.push(
        `session "${original}" is imported as ${name}: its name cannot be addressed exactly`,
      );
    }
    if (pane.cwd.includes('\0')) {
      skipped += 1;
      warnings.push(`session "${original}" skipped: its directory holds a NUL byte`);
      continue;
    }
    const sessionId = uniqueSessionId(stripSessionPrefix(name), used);
    if (pane.command && !SHELLS.test(pane.command))
      warnings.push(`session ${name}: "${pane.command}" is not re-run; its shell is`);
    sessions.push({
      sessionId,
      terminalId: sessionId,
      laneId: null,
      multiplexer: 'tmux',
      sessionName: name,
      workingDirectory: pane.cwd,
      environment: {},
      shellCommand: [options.shell],
      scrollback: truncateScrollback(options.paneContents?.get(pane.pane) ?? ''),
    });
  }
  return {
    ok: true,
    warnings,
    skipped,
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
