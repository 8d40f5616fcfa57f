import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readZellijLayout } from '../../../clients/zellij-dump.js';
import { windowsOfZellij } from '../../../clients/zellij-windows.js';
import { aZellijSession } from '../../support/builders.js';
import {
  formatLayout,
  type LayoutCell,
  layoutLeaves,
  parseLayout,
  sharesOf,
} from '../../../specs/layout-tree.js';
import { zellijLayoutOf } from '../../../specs/zellij-layout.js';

const session = aZellijSession;

/** A random split tree (as a tmux layout string) over `width` x `height`. */
function randomTree(seed: readonly number[], width: number, height: number): LayoutCell {
  let next = 0;
  let pane = 0;
  const pick = () => seed[next++ % seed.length]!;
  const grow = (w: number, h: number, x: number, y: number, depth: number): LayoutCell => {
    const kind = depth > 0 && w > 12 && h > 12 ? pick() % 3 : 0;
    if (kind === 0) return { width: w, height: h, x, y, pane: pane++ };
    const split = kind === 1 ? ('columns' as const) : ('rows' as const);
    const extent = split === 'columns' ? w : h;
    const n = 2 + (pick() % 2);
    const size = Math.floor((extent - (n - 1)) / n);
    let at = split === 'columns' ? x : y;
    const children = Array.from({ length: n }, (_, i) => {
      const own = i < n - 1 ? size : extent - (n - 1) - size * (n - 1);
      const child =
        split === 'columns' ? grow(own, h, at, y, depth - 1) : grow(w, own, x, at, depth - 1);
      at += own + 1;
      return child;
    });
    return { width: w, height: h, x, y, split, children };
  };
  return grow(width, height, 0, 0, 3);
}

describe('a layout through zellij and back', () => {
  it('keeps the splits, their kinds, the pane order and the shares', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 30 }), { minLength: 1, maxLength: 12 }), (seed) => {
        const tree = randomTree(seed, 160, 48);
        const leaves = layoutLeaves(tree);
        const saved = [
          {
            index: 0,
            name: 'w',
            active: true,
            zoomed: false,
            layout: formatLayout(tree),
            panes: leaves.map((_, index) => ({
              index,
              workingDirectory: `/w/p${index}`,
              active: index === 0,
              scrollback: '',
            })),
          },
        ];
        const kdl = zellijLayoutOf(session(saved), (_w, p) => ['/bin/sh', `/l/${p.index}.sh`]);
        // zellij shows the panes where the layout puts them (abutting: each owns its border).
        const listed = leaves.map((leaf, id) => ({
          id,
          is_plugin: false,
          tab_position: 0,
          pane_x: leaf.x,
          pane_y: leaf.y,
          pane_columns: leaf.width + (leaf.x + leaf.width < 160 ? 1 : 0),
          pane_rows: leaf.height + (leaf.y + leaf.height < 48 ? 1 : 0),
        }));
        const [back] = windowsOfZellij(readZellijLayout(kdl), listed, '/w');
        const shape = (cell: LayoutCell): unknown =>
          'pane' in cell ? 'pane' : [cell.split, cell.children.map(shape)];
        const again = parseLayout(back!.window.layout!)!;
        expect(shape(again)).toEqual(shape(tree));
        expect(back!.window.panes.map((p) => p.workingDirectory)).toEqual(
          leaves.map((_, i) => `/w/p${i}`),
        );
        const sharesOfTree = (cell: LayoutCell): number[] =>
          'pane' in cell ? [] : [...sharesOf(cell), ...cell.children.flatMap(sharesOfTree)];
        const before = sharesOfTree(tree);
        const after = sharesOfTree(again);
        before.forEach((share, i) => expect(Math.abs(share - after[i]!)).toBeLessThanOrEqual(4));
      }),
    );
  });
});
