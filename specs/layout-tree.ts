/*
 * A window's layout as a tree, read from and written as tmux's `#{window_layout}` string: the
 * one layout format of the checkpoint, whichever multiplexer a session runs on. A cell is
 * `WxH,X,Y` followed by `,ID` (a pane), `{...}` (children side by side, left to right) or
 * `[...]` (children stacked, top to bottom); the string starts with a 16-bit checksum of the
 * rest, as tmux computes it. Siblings are separated by a one-cell border, which tmux counts
 * and zellij does not (its panes abut): `sharesOf` and `cellsOfShares` convert between the two.
 */

export type LayoutCell = {
  readonly width: number;
  readonly height: number;
  readonly x: number;
  readonly y: number;
} & (
  | { readonly pane: number }
  | { readonly split: 'columns' | 'rows'; readonly children: readonly LayoutCell[] }
);

export type SplitCell = Extract<LayoutCell, { split: unknown }>;

const CELL = /^(\d+)x(\d+),(\d+),(\d+)/;
const MAX_DEPTH = 64;

/** tmux's layout checksum of `text` (layout_checksum in tmux's layout-custom.c), 4 hex digits. */
export function layoutChecksum(text: string): string {
  let sum = 0;
  for (const char of text) {
    sum = ((sum >> 1) + ((sum & 1) << 15)) & 0xffff;
    sum = (sum + (char.codePointAt(0) ?? 0)) & 0xffff;
  }
  return sum.toString(16).padStart(4, '0');
}

/** The tree of a layout string (its checksum unchecked), or null when it is not one. */
export function parseLayout(layout: string): LayoutCell | null {
  const body = /^[0-9a-f]{4},(.*)$/.exec(layout)?.[1];
  if (body === undefined) return null;
  let at = 0;
  const cell = (depth: number): LayoutCell | null => {
    const head = CELL.exec(body.slice(at));
    if (!head || depth > MAX_DEPTH) return null;
    at += head[0].length;
    const [width, height, x, y] = head.slice(1, 5).map(Number) as [number, number, number, number];
    if (width < 1 || height < 1) return null;
    const open = body[at];
    if (open === ',') {
      const id = /^,(\d+)/.exec(body.slice(at));
      if (!id) return null;
      at += id[0].length;
      return { width, height, x, y, pane: Number(id[1]) };
    }
    if (open !== '{' && open !== '[') return null;
    const close = open === '{' ? '}' : ']';
    const children: LayoutCell[] = [];
    at += 1;
    for (;;) {
      const child = cell(depth + 1);
      if (!child) return null;
      children.push(child);
      if (body[at] === ',') at += 1;
      else if (body[at] === close) break;
      else return null;
    }
    at += 1;
    return { width, height, x, y, split: open === '{' ? 'columns' : 'rows', children };
  };
  const root = cell(0);
  return root && at === body.length ? root : null;
}

/** The layout string of a tree, with its checksum. */
export function formatLayout(root: LayoutCell): string {
  const text = (cell: LayoutCell): string => {
    const head = `${cell.width}x${cell.height},${cell.x},${cell.y}`;
    if ('pane' in cell) return `${head},${cell.pane}`;
    const [open, close] = cell.split === 'columns' ? ['{', '}'] : ['[', ']'];
    return `${head}${open}${cell.children.map(text).join(',')}${close}`;
  };
  const body = text(root);
  return `${layoutChecksum(body)},${body}`;
}

/** The pane cells of a tree in layout order (the order tmux numbers panes in). */
export function layoutLeaves(root: LayoutCell): Extract<LayoutCell, { pane: number }>[] {
  return 'pane' in root ? [root] : root.children.flatMap(layoutLeaves);
}

const extentOf = (cell: LayoutCell, split: SplitCell['split']) =>
  split === 'columns' ? cell.width : cell.height;

/**
 * Each child's share of a split in percent, as zellij sizes panes: a child owns the border
 * after it, so the shares of a split add up to 100 (the last one is what remains).
 */
export function sharesOf(cell: SplitCell): number[] {
  const total = Math.max(1, extentOf(cell, cell.split));
  const n = cell.children.length;
  const shares = cell.children
    .slice(0, -1)
    .map((child) => Math.max(1, Math.round((100 * (extentOf(child, cell.split) + 1)) / total)));
  const used = shares.reduce((sum, share) => sum + share, 0);
  // Too many tiny children to share 100 so: equal shares, never more than the whole.
  if (used > 100 - 1)
    return cell.children.map((_, i) =>
      i < n - 1 ? Math.floor(100 / n) : 100 - Math.floor(100 / n) * (n - 1),
    );
  return [...shares, 100 - used];
}

/**
 * The tmux cells of a split of `extent` cells whose children take `raw` cells each as zellij
 * lays them out (abutting, adding up to `extent`): every child but the last gives one cell to
 * the border after it. Offsets start at `start`.
 */
export function cellsOfShares(
  raw: readonly number[],
  start: number,
): { at: number; size: number }[] {
  let at = start;
  return raw.map((cells, i) => {
    const size = Math.max(1, i < raw.length - 1 ? cells - 1 : cells);
    const placed = { at, size };
    at += size + 1;
    return placed;
  });
}

/** Splits `extent` cells by percentages (the last child takes what remains). */
export function cellsOfPercents(percents: readonly number[], extent: number): number[] {
  const cells = percents.slice(0, -1).map((p) => Math.max(1, Math.round((extent * p) / 100)));
  const used = cells.reduce((sum, n) => sum + n, 0);
  return [...cells, Math.max(1, extent - used)];
}
