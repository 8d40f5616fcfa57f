import type { SessionEntrySpec } from './checkpoint-spec.js';
import { windowsOf } from './session-windows.js';

/*
 * What changed between two checkpoint generations, session by session (paired by name). Pure.
 * Values of environment variables never appear here, only their names: they may be secrets.
 * A program is named by its command's base name; changed arguments are said, never shown.
 */

/** A generation as the diff reads it: its sessions. */
export interface GenerationContent {
  readonly sessions: readonly SessionEntrySpec[];
}

export interface FromTo<T> {
  readonly from: T;
  readonly to: T;
}

/** One pane's change, `pane` as `window.pane` (indexes). */
export interface PaneChange {
  readonly pane: string;
  readonly from: string;
  readonly to: string;
}

/** What changed in one session present in both generations; absent fields did not change. */
export interface SessionChange {
  readonly name: string;
  readonly multiplexer?: FromTo<string>;
  readonly cwd?: FromTo<string>;
  readonly shell?: FromTo<string>;
  readonly lane?: FromTo<string>;
  /** Window labels (`index:name`), in index order. */
  readonly windows?: FromTo<readonly string[]>;
  readonly panes?: FromTo<number>;
  readonly paneCwds?: readonly PaneChange[];
  readonly programs?: readonly PaneChange[];
  /** Labels of the windows (in both) whose layout changed. */
  readonly layouts?: readonly string[];
  /** Variable names only (`NAME`, or `window.pane:NAME` for a pane's own). */
  readonly environment?: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly changed: readonly string[];
  };
}

export interface CheckpointDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly SessionChange[];
}

export interface GenerationShape {
  readonly sessions: number;
  readonly windows: number;
  readonly panes: number;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Counts of sessions, windows and panes. */
export function shapeOf(content: GenerationContent): GenerationShape {
  let windows = 0;
  let panes = 0;
  for (const session of content.sessions) {
    const all = windowsOf(session);
    windows += all.length;
    panes += all.reduce((sum, window) => sum + window.panes.length, 0);
  }
  return { sessions: content.sessions.length, windows, panes };
}

/** What changed from `a` (older, usually) to `b`. `diff(x, x)` is empty. */
export function diffCheckpoints(a: GenerationContent, b: GenerationContent): CheckpointDiff {
  const before = new Map(a.sessions.map((session) => [session.sessionName, session]));
  const after = new Map(b.sessions.map((session) => [session.sessionName, session]));
  const added = [...after.keys()].filter((name) => !before.has(name)).sort(byText);
  const removed = [...before.keys()].filter((name) => !after.has(name)).sort(byText);
  const changed: SessionChange[] = [];
  for (const name of [...after.keys()].sort(byText)) {
    const old = before.get(name);
    if (!old) continue;
    const change = sessionChange(old, after.get(name)!);
    if (change) changed.push(change);
  }
  return { added, removed, changed };
}

/** True when nothing was added, removed or changed. */
export function isEmptyDiff(diff: CheckpointDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length === 0;
}

/** One word per session: `+build -notes ~api` (added, removed, changed), or ''. */
export function changeSummary(diff: CheckpointDiff): string {
  return [
    ...diff.added.map((name) => `+${name}`),
    ...diff.removed.map((name) => `-${name}`),
    ...diff.changed.map((change) => `~${change.name}`),
  ].join(' ');
}

const fromTo = <T>(from: T, to: T, same: (x: T, y: T) => boolean = Object.is) =>
  same(from, to) ? undefined : { from, to };
const sameList = (x: readonly string[], y: readonly string[]) =>
  x.length === y.length && x.every((item, index) => item === y[index]);

interface PaneEntry {
  readonly cwd: string;
  /** The argv as one comparable text. */
  readonly program: string;
  readonly argv: readonly string[] | undefined;
  readonly environment: Readonly<Record<string, string>>;
}

function programText(argv: readonly string[] | undefined, other: readonly string[] | undefined) {
  if (!argv) return '(shell)';
  const name = argv[0]!.split('/').pop() || argv[0]!;
  const sameName = other !== undefined && other[0] === argv[0];
  return sameName ? `${name} (arguments changed)` : name;
}

function sessionChange(a: SessionEntrySpec, b: SessionEntrySpec): SessionChange | null {
  const windowsA = windowsOf(a);
  const windowsB = windowsOf(b);
  const label = (window: { index: number; name: string }) => `${window.index}:${window.name}`;
  const panesA = paneMap(windowsA);
  const panesB = paneMap(windowsB);
  const paneCwds: PaneChange[] = [];
  const programs: PaneChange[] = [];
  for (const [pane, after] of panesB) {
    const before = panesA.get(pane);
    if (!before) continue;
    if (before.cwd !== after.cwd) paneCwds.push({ pane, from: before.cwd, to: after.cwd });
    if (before.program !== after.program) programs.push({ pane, ...programPair(before, after) });
  }
  const layoutsA = new Map(windowsA.map((window) => [window.index, window.layout ?? '']));
  const layouts = windowsB
    .filter((window) => {
      const before = layoutsA.get(window.index);
      return before !== undefined && before !== (window.layout ?? '');
    })
    .map(label);
  const environment = environmentChange(envOf(a, panesA), envOf(b, panesB));
  const panesTotal = (all: typeof windowsA) => all.reduce((n, w) => n + w.panes.length, 0);
  const change: SessionChange = {
    name: b.sessionName,
    ...defined('multiplexer', fromTo<string>(a.multiplexer, b.multiplexer)),
    ...defined('cwd', fromTo(a.workingDirectory, b.workingDirectory)),
    ...defined('shell', fromTo(a.shellCommand.join(' '), b.shellCommand.join(' '))),
    ...defined('lane', fromTo(a.laneId ?? '(none)', b.laneId ?? '(none)')),
    ...defined('windows', fromTo(windowsA.map(label), windowsB.map(label), sameList)),
    ...defined('panes', fromTo(panesTotal(windowsA), panesTotal(windowsB))),
    ...(paneCwds.length > 0 ? { paneCwds } : {}),
    ...(programs.length > 0 ? { programs } : {}),
    ...(layouts.length > 0 ? { layouts } : {}),
    ...(environment ? { environment } : {}),
  };
  return Object.keys(change).length > 1 ? change : null;
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function paneMap(windows: ReturnType<typeof windowsOf>): Map<string, PaneEntry> {
  const panes = new Map<string, PaneEntry>();
  for (const window of windows)
    for (const pane of window.panes)
      panes.set(`${window.index}.${pane.index}`, {
        cwd: pane.workingDirectory,
        program: JSON.stringify(pane.program ?? null),
        argv: pane.program,
        environment: pane.environment ?? {},
      });
  return panes;
}

function programPair(before: PaneEntry, after: PaneEntry): { from: string; to: string } {
  return {
    from: programText(before.argv, after.argv),
    to: programText(after.argv, before.argv),
  };
}

function envOf(session: SessionEntrySpec, panes: ReadonlyMap<string, PaneEntry>) {
  const all = new Map<string, string>(Object.entries(session.environment));
  for (const [pane, facts] of panes)
    for (const [name, value] of Object.entries(facts.environment))
      all.set(`${pane}:${name}`, value);
  return all;
}

function environmentChange(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) {
  const added = [...b.keys()].filter((name) => !a.has(name)).sort(byText);
  const removed = [...a.keys()].filter((name) => !b.has(name)).sort(byText);
  const changed = [...b.keys()]
    .filter((name) => a.has(name) && a.get(name) !== b.get(name))
    .sort(byText);
  return added.length + removed.length + changed.length > 0
    ? { added, removed, changed }
    : undefined;
}
