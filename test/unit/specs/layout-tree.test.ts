import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cellsOfPercents,
  cellsOfShares,
  formatLayout,
  type LayoutCell,
  layoutChecksum,
  layoutLeaves,
  parseLayout,
  sharesOf,
  type SplitCell,
} from '../../../specs/layout-tree.js';

// Layout strings as tmux 3.x printed them (checksums included).
const REAL = [
  '5853,160x45,0,0{80x45,0,0,0,79x45,81,0,1}',
  'bfff,160x45,0,0,2',
  'c677,160x45,0,0[160x22,0,0,3,160x22,0,23,4]',
];

/** A random layout: a split of `extent` cells into children that tile it with borders. */
const cellArb = (depth: number, width: number, height: number, x: number, y: number) =>
  fc
    .nat({ max: depth > 0 && width > 8 && height > 8 ? 3 : 0 })
    .chain((kind): fc.Arbitrary<LayoutCell> => {
      if (kind < 2) return fc.nat({ max: 99 }).map((pane) => ({ width, height, x, y, pane }));
      const split = kind === 2 ? ('columns' as const) : ('rows' as const);
      const extent = split === 'columns' ? width : height;
      return fc.integer({ min: 2, max: Math.min(4, Math.floor((extent + 1) / 3)) }).chain((n) => {
        const base = Math.floor((extent - (n - 1)) / n);
        const sizes = Array.from({ length: n }, (_, i) =>
          i < n - 1 ? base : extent - (n - 1) - base * (n - 1),
        );
        let at = split === 'columns' ? x : y;
        const children = sizes.map((size) => {
          const child =
            split === 'columns'
              ? cellArb(depth - 1, size, height, at, y)
              : cellArb(depth - 1, width, size, x, at);
          at += size + 1;
          return child;
        });
        return fc
          .tuple(...children)
          .map((kids) => ({ width, height, x, y, split, children: kids }));
      });
    });

describe('layout strings', () => {
  it('reads and writes the layouts tmux prints, checksum included', () => {
    for (const layout of REAL) {
      const tree = parseLayout(layout);
      expect(tree).not.toBeNull();
      expect(formatLayout(tree!)).toBe(layout);
      expect(layoutChecksum(layout.slice(5))).toBe(layout.slice(0, 4));
    }
    expect(layoutLeaves(parseLayout(REAL[2]!)!).map((cell) => cell.pane)).toEqual([3, 4]);
  });

  it('refuses what is not a layout', () => {
    for (const text of [
      '',
      'nonsense',
      '5853,160x45,0,0{80x45,0,0,0',
      '5853,160x45,0,0,1,2',
      'zzzz,1x1,0,0,0',
    ])
      expect(parseLayout(text)).toBeNull();
    // No cell of zero cells (its shares would divide by zero).
    expect(parseLayout('0000,0x0,0,0,1')).toBeNull();
    expect(parseLayout('0000,10x10,0,0{0x10,0,0,1,9x10,1,0,2}')).toBeNull();
    const deep = `0000,${'10x10,0,0{'.repeat(80)}1x1,0,0,0${'}'.repeat(80)}`;
    expect(parseLayout(deep)).toBeNull();
  });

  it('round-trips every layout it writes', () => {
    fc.assert(
      fc.property(cellArb(3, 160, 45, 0, 0), (tree) => {
        expect(parseLayout(formatLayout(tree))).toEqual(tree);
      }),
    );
  });
});

describe('shares and cells', () => {
  it('turns a tmux split into zellij percentages and back', () => {
    const split = parseLayout(REAL[0]!) as SplitCell;
    expect(sharesOf(split)).toEqual([51, 49]);
    // Many one-cell children cannot each get 1 % and more: equal shares that add up to 100.
    const tiny: SplitCell = {
      width: 300,
      height: 10,
      x: 0,
      y: 0,
      split: 'columns',
      children: Array.from({ length: 150 }, (_, i) => ({
        width: 1,
        height: 10,
        x: 2 * i,
        y: 0,
        pane: i,
      })),
    };
    const shares = sharesOf(tiny);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(100);
    expect(cellsOfShares(cellsOfPercents([70, 30], 50), 0)).toEqual([
      { at: 0, size: 34 },
      { at: 35, size: 15 },
    ]);
  });

  it('keeps every split a tiling: sizes and borders add up to the extent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 20, max: 400 }),
        (weights, extent) => {
          const total = weights.reduce((a, b) => a + b, 0);
          const percents = weights.map((w) => Math.max(1, Math.floor((100 * w) / total)));
          const raw = cellsOfPercents(percents, extent);
          if (raw.some((n) => n < 2)) return;
          expect(raw.reduce((a, b) => a + b, 0)).toBe(extent);
          const cells = cellsOfShares(raw, 0);
          const last = cells[cells.length - 1]!;
          expect(last.at + last.size).toBe(extent);
          const shares = sharesOf({
            width: extent,
            height: 10,
            x: 0,
            y: 0,
            split: 'columns',
            children: cells.map(({ at, size }) => ({
              width: size,
              height: 10,
              x: at,
              y: 0,
              pane: 0,
            })),
          });
          expect(shares.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(100);
          shares
            .slice(0, -1)
            .forEach((share, i) =>
              expect(Math.abs(share - (100 * raw[i]!) / extent)).toBeLessThanOrEqual(
                0.5 + 100 / extent,
              ),
            );
        },
      ),
    );
  });
});
