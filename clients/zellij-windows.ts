import type { PaneSpec, WindowSpec } from '../specs/checkpoint-spec.js';
import { cellsOfShares, formatLayout, type LayoutCell } from '../specs/layout-tree.js';
import { isInteractiveShell } from '../specs/program-restore.js';
import { labelText } from '../specs/session-windows.js';
import type { DumpCell, DumpTab } from './zellij-dump.js';

/** The fields of `action list-panes --json --all` (zellij 0.45) a capture reads. */
export interface ListedPane {
  readonly id: number;
  readonly is_plugin: boolean;
  readonly is_focused?: boolean;
  readonly is_floating?: boolean;
  readonly is_held?: boolean;
  readonly exited?: boolean;
  readonly is_suppressed?: boolean;
  readonly exit_status?: number | null;
  readonly pane_x?: number;
  readonly pane_y?: number;
  readonly pane_columns?: number;
  readonly pane_rows?: number;
  readonly tab_position?: number;
  readonly pane_cwd?: string;
}

/** `action list-panes --json` output as panes; null when it is not a JSON list. */
export function parseListedPanes(text: string): ListedPane[] | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as ListedPane[]) : null;
  } catch {
    return null;
  }
}

/**
 * Whether a `list-panes` answer lists a terminal pane: a live session has one, so a list
 * without one is a server still settling (asked again, runSessionAction).
 */
export const hasTerminalPane = (text: string): boolean =>
  (parseListedPanes(text) ?? []).some((pane) => !pane.is_plugin);

/** A pane zellij has not started: resurrected by zellij and waiting for ENTER. */
export const isWaiting = (pane: ListedPane): boolean =>
  !pane.is_plugin &&
  pane.is_held === true &&
  pane.exited !== true &&
  (pane.exit_status ?? null) === null;

/** A captured window with the zellij terminal id of each of its panes (null: not matched). */
export interface ZellijWindow {
  readonly window: WindowSpec;
  readonly paneIds: readonly (number | null)[];
}

/** Cells of `extent` for children sized in percent, in cells or not at all (they share the rest). */
function rawSizes(children: readonly DumpCell[], extent: number): number[] {
  const fixed = children.map((child) =>
    child.size === null
      ? null
      : 'percent' in child.size
        ? Math.round((extent * child.size.percent) / 100)
        : child.size.cells,
  );
  const free = extent - fixed.reduce<number>((sum, n) => sum + (n ?? 0), 0);
  const unsized = fixed.filter((n) => n === null).length;
  const sizes = fixed.map((n) => Math.max(2, n ?? Math.floor(free / Math.max(1, unsized))));
  const used = sizes.slice(0, -1).reduce((sum, n) => sum + n, 0);
  sizes[sizes.length - 1] = Math.max(2, extent - used);
  return sizes;
}

/** The tmux layout tree of a dumped split tree placed in `width` x `height`, leaves in order. */
function place(
  cell: DumpCell,
  x: number,
  y: number,
  width: number,
  height: number,
  leaves: { cell: DumpCell; x: number; y: number }[],
): LayoutCell {
  if (!('split' in cell)) {
    leaves.push({ cell, x, y });
    return { width, height, x, y, pane: leaves.length - 1 };
  }
  const columns = cell.split === 'columns';
  const cells = cellsOfShares(rawSizes(cell.children, columns ? width : height), columns ? x : y);
  const children = cell.children.map((child, i) =>
    columns
      ? place(child, cells[i]!.at, y, cells[i]!.size, height, leaves)
      : place(child, x, cells[i]!.at, width, cells[i]!.size, leaves),
  );
  return { width, height, x, y, split: cell.split, children };
}

/**
 * The windows of a zellij session from its dumped layout and its listed panes: each tab's
 * split tree becomes a layout string sized as the tab shows it, and each dumped pane is matched
 * to the listed pane at its place (for its id, cwd and focus). A pane running something other
 * than a shell records that program.
 */
export function windowsOfZellij(
  tabs: readonly DumpTab[],
  listed: readonly ListedPane[],
  sessionCwd: string,
): ZellijWindow[] {
  const windows: ZellijWindow[] = [];
  tabs.forEach((tab, position) => {
    if (tab.tree === null) return;
    const own = listed.filter(
      (pane) =>
        !pane.is_plugin &&
        !pane.is_floating &&
        !pane.is_suppressed &&
        (pane.tab_position ?? 0) === position,
    );
    const left = Math.min(...own.map((p) => p.pane_x ?? 0));
    const top = Math.min(...own.map((p) => p.pane_y ?? 0));
    const width =
      own.length > 0
        ? Math.max(...own.map((p) => (p.pane_x ?? 0) + (p.pane_columns ?? 0))) - left
        : 80;
    const height =
      own.length > 0 ? Math.max(...own.map((p) => (p.pane_y ?? 0) + (p.pane_rows ?? 0))) - top : 24;
    const leaves: { cell: DumpCell; x: number; y: number }[] = [];
    const layout = place(tab.tree, 0, 0, Math.max(width, 2), Math.max(height, 2), leaves);
    const unused = new Set(own);
    const matched = leaves.map((leaf) => {
      let best: ListedPane | null = null;
      let distance = Infinity;
      for (const pane of unused) {
        const d =
          Math.abs((pane.pane_x ?? 0) - left - leaf.x) +
          Math.abs((pane.pane_y ?? 0) - top - leaf.y);
        if (d < distance) [best, distance] = [pane, d];
      }
      if (best) unused.delete(best);
      return best;
    });
    const focused = matched.findIndex((pane) => pane?.is_focused === true);
    const panes = leaves.map(({ cell }, index): PaneSpec => {
      const pane = matched[index] ?? null;
      const dumped = 'argv' in cell ? cell : { argv: null, cwd: null };
      const cwd = [pane?.pane_cwd, dumped.cwd].find((dir) => dir?.startsWith('/')) ?? sessionCwd;
      const program =
        dumped.argv && !isInteractiveShell(dumped.argv) ? [...dumped.argv] : undefined;
      return {
        index,
        workingDirectory: cwd,
        active: index === Math.max(0, focused),
        ...(program ? { program } : {}),
        scrollback: '',
      };
    });
    windows.push({
      window: {
        index: windows.length,
        name: labelText(tab.name),
        active: tab.focus,
        zoomed: false,
        layout: formatLayout(layout),
        panes,
      },
      paneIds: matched.map((pane) => pane?.id ?? null),
    });
  });
  if (windows.length > 0 && !windows.some(({ window }) => window.active))
    windows[0] = { ...windows[0]!, window: { ...windows[0]!.window, active: true } };
  return windows;
}
