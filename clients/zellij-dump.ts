import type { Node } from '@bgotink/kdl';
import { parse } from '@bgotink/kdl/v1-compat';
import { isAbsolute, join } from 'node:path';

/*
 * zellij's own view of a session's layout (`action dump-layout`, or the resurrection file it
 * saves), read with a KDL library: its tabs, each tab's split tree with the shares zellij
 * gives, and each terminal pane's cwd and the argv it runs now (zellij reads the pane's
 * foreground process). Plugin panes (tab bar, status bar) and templates are not the session's
 * work: they are left out. Floating panes are counted, so that what cannot be recorded is named.
 */

export type DumpSize = { readonly percent: number } | { readonly cells: number } | null;

export type DumpCell = { readonly size: DumpSize } & (
  | { readonly argv: readonly string[] | null; readonly cwd: string | null }
  | { readonly split: 'columns' | 'rows'; readonly children: readonly DumpCell[] }
);

export interface DumpTab {
  readonly name: string;
  readonly focus: boolean;
  /** Null for a tab with no terminal pane. */
  readonly tree: DumpCell | null;
  readonly floating: number;
}

const TEMPLATES = new Set([
  'default_tab_template',
  'new_tab_template',
  'pane_template',
  'tab_template',
  'swap_tiled_layout',
  'swap_floating_layout',
]);

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function sizeOf(node: Node): DumpSize {
  const size = node.getProperty('size');
  if (typeof size === 'number' && Number.isFinite(size)) return { cells: size };
  const percent = typeof size === 'string' ? /^(\d{1,3})%$/.exec(size) : null;
  return percent ? { percent: Number(percent[1]) } : null;
}

const childNodes = (node: Node): Node[] => node.children?.nodes ?? [];

function paneCell(node: Node, base: string, depth: number): DumpCell | null {
  const children = childNodes(node);
  if (children.some((child) => child.getName() === 'plugin')) return null;
  const size = sizeOf(node);
  const nested = children.filter((child) => child.getName() === 'pane');
  const direction = text(node.getProperty('split_direction'));
  if (nested.length > 0 && depth < 64) {
    const cells = nested
      .map((child) => paneCell(child, base, depth + 1))
      .filter((cell): cell is DumpCell => cell !== null);
    if (cells.length === 0) return null;
    if (cells.length === 1) return { ...cells[0]!, size };
    return { size, split: direction === 'vertical' ? 'columns' : 'rows', children: cells };
  }
  const command = text(node.getProperty('command'));
  const args = children
    .filter((child) => child.getName() === 'args')
    .flatMap((child) => child.getArguments().map((arg: unknown) => String(arg)));
  const cwd = text(node.getProperty('cwd'));
  return {
    size,
    argv: command ? [command, ...args] : null,
    cwd: cwd === null ? null : isAbsolute(cwd) ? cwd : join(base, cwd),
  };
}

/** The tabs of a zellij layout; throws with KDL's message when it is not one. */
export function readZellijLayout(kdl: string): DumpTab[] {
  const root = parse(kdl).nodes.find((node) => node.getName() === 'layout');
  if (!root) throw new Error('no layout node');
  const top = childNodes(root);
  const base = text(top.find((node) => node.getName() === 'cwd')?.getArguments()[0]) ?? '/';
  return top
    .filter((node) => node.getName() === 'tab')
    .map((tab) => {
      const tabCwd = text(tab.getProperty('cwd'));
      const where = tabCwd ? (isAbsolute(tabCwd) ? tabCwd : join(base, tabCwd)) : base;
      const body = childNodes(tab).filter((node) => !TEMPLATES.has(node.getName()));
      const cells = body
        .filter((node) => node.getName() === 'pane')
        .map((node) => paneCell(node, where, 0))
        .filter((cell): cell is DumpCell => cell !== null);
      const floating = body
        .filter((node) => node.getName() === 'floating_panes')
        .reduce((n, node) => n + childNodes(node).filter((c) => c.getName() === 'pane').length, 0);
      const direction = text(tab.getProperty('split_direction'));
      const tree: DumpCell | null =
        cells.length === 0
          ? null
          : cells.length === 1
            ? { ...cells[0]!, size: null }
            : { size: null, split: direction === 'vertical' ? 'columns' : 'rows', children: cells };
      return {
        name: text(tab.getProperty('name')) ?? '',
        focus: tab.getProperty('focus') === true,
        tree,
        floating,
      };
    });
}

/** How many tabs and terminal panes a layout holds (what recreating it must at least give). */
export function layoutExtent(tabs: readonly DumpTab[]): { tabs: number; panes: number } {
  const count = (cell: DumpCell | null): number =>
    cell === null ? 0 : 'split' in cell ? cell.children.reduce((n, c) => n + count(c), 0) : 1;
  return {
    tabs: tabs.length,
    panes: tabs.reduce((n, tab) => n + count(tab.tree) + tab.floating, 0),
  };
}
