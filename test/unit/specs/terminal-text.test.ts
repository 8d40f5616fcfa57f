import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripTerminalQueries } from '../../../specs/terminal-text.js';

const ESC = '\u001b';
const QUERIES = [
  `${ESC}[6n`,
  `${ESC}[5n`,
  `${ESC}[?6n`,
  `${ESC}[c`,
  `${ESC}[0c`,
  `${ESC}[>c`,
  `${ESC}[=c`,
  `${ESC}[14t`,
  `${ESC}[18t`,
  `${ESC}[?2004$p`,
  `${ESC}[>q`,
  `${ESC}[?u`,
  `${ESC}[?4m`,
  `${ESC}[1$w`,
  `${ESC}[1;1;1;2;2*y`,
  `${ESC}Z`,
  `${ESC}]11;?\u0007`,
  `${ESC}]4;1;?${ESC}\\`,
  `${ESC}]52;c;?\u0007`,
  `${ESC}P$qm${ESC}\\`,
  `${ESC}P+q544e${ESC}\\`,
  // A control character inside a sequence is executed and the sequence goes on.
  `${ESC}[6\rn`,
  `${ESC}[1\u007f4t`,
  `${ESC}]11;\n?\u0007`,
  '\u0005',
];
const SGR = [`${ESC}[31m`, `${ESC}[1;38;5;208m`, `${ESC}[0m`, `${ESC}[38:2::10:20:30m`];
const KEPT = [...SGR, `${ESC}[2J`, `${ESC}[H`, `${ESC}]0;title\u0007`, `${ESC}[22;0t`, `${ESC}(B`];

/** Queries as a terminal reads them, for an oracle independent of the stripper's parser. */
const PLAIN_QUERY =
  /\u001b\[[0-9;?>=<]*[ncx]|\u001b\[1[1345689]t|\u001b\][0-9;]*;\?(\u0007|\u001b\\)|\u001bP[$+]q|\u001bZ|\u0005/;

/**
 * A query with a removable text spliced in at a cut, to any depth: the pieces of the outer one
 * make a query again once the inner one is gone. A string (OSC, DCS) is cut only before the
 * byte that makes it a query: the terminal acts on a string when an ESC ends it, so a string
 * that already asks is answered there, and removed there, leaving its tail as plain text.
 */
const { removable } = fc.letrec<{ removable: string; splice: string }>((tie) => ({
  removable: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...QUERIES),
    tie('splice'),
    fc.array(tie('removable'), { minLength: 2, maxLength: 3 }).map((parts) => parts.join('')),
  ),
  splice: fc
    .tuple(fc.constantFrom(...QUERIES), fc.nat(), tie('removable'))
    .map(([query, at, inner]) => {
      const decided = query.startsWith(`${ESC}]`)
        ? query.indexOf('?')
        : query.startsWith(`${ESC}P`)
          ? 3
          : query.length;
      const cut = at % (decided + 1);
      return query.slice(0, cut) + inner + query.slice(cut);
    }),
}));

/** Pieces of sequences, controls and text: arbitrary and mostly malformed mixes. */
const fragment = fc.constantFrom(
  ESC,
  '[',
  ']',
  'P',
  '\\',
  '6',
  '1',
  '4',
  ';',
  '?',
  '$',
  '>',
  'q',
  'n',
  'c',
  't',
  'm',
  'Z',
  '\u0007',
  '\r',
  '\u0018',
  '\u009b',
  '\u009c',
  '\u0005',
  'a',
  ...QUERIES,
  ...KEPT,
);

describe('stripTerminalQueries', () => {
  it('removes every query and keeps colours and other sequences, in any mix', () => {
    const piece = fc.oneof(
      fc.constantFrom(...QUERIES).map((text) => ({ text, kept: '' })),
      fc.constantFrom(...KEPT).map((text) => ({ text, kept: text })),
      fc.stringMatching(/^[a-z ]{0,8}$/).map((text) => ({ text, kept: text })),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
        const input = pieces.map((p) => p.text).join('');
        const output = stripTerminalQueries(input);
        expect(output).toBe(pieces.map((p) => p.kept).join(''));
        expect(stripTerminalQueries(output)).toBe(output);
      }),
    );
  });

  it('does not rebuild a query from the pieces around a removed one', () => {
    expect(stripTerminalQueries(`${ESC}[6${ESC}[5nn`)).toBe('');
    expect(stripTerminalQueries(`${ESC}]11;${ESC}[6n?\u0007`)).toBe('');
    expect(stripTerminalQueries(`a${ESC}[${ESC}[${ESC}[5n6n6nb`)).toBe('ab');
    expect(stripTerminalQueries(`${ESC}[6${ESC}[31mn`)).toBe(`${ESC}[6${ESC}[31mn`);
  });

  it('removes spliced queries, nested at any depth, and keeps the colours around them', () => {
    const piece = fc.oneof(
      removable.map((text) => ({ text, kept: '' })),
      fc.constantFrom(...KEPT).map((text) => ({ text, kept: text })),
      fc.stringMatching(/^[a-z ]{0,8}$/).map((text) => ({ text, kept: text })),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const output = stripTerminalQueries(pieces.map((p) => p.text).join(''));
        expect(output).toBe(pieces.map((p) => p.kept).join(''));
        expect(stripTerminalQueries(output)).toBe(output);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no query in any mix of fragments, is idempotent, and keeps every colour', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fragment, removable), { maxLength: 40 }), (parts) => {
        const output = stripTerminalQueries(parts.join(''));
        expect(output).not.toMatch(PLAIN_QUERY);
        expect(output).not.toMatch(/[\u0080-\u009f]/);
        expect(stripTerminalQueries(output)).toBe(output);
        let from = 0;
        for (const part of parts.filter((p) => SGR.includes(p))) {
          from = output.indexOf(part, from);
          expect(from, `${JSON.stringify(part)} kept`).toBeGreaterThanOrEqual(0);
          from += part.length;
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('drops a sequence left open at the end: the shell prints next and would complete it', () => {
    expect(stripTerminalQueries(`ok${ESC}[6`)).toBe('ok');
    expect(stripTerminalQueries(`ok${ESC}]11;?`)).toBe('ok');
    expect(stripTerminalQueries(`ok${ESC}]0;title${ESC}`)).toBe('ok');
  });

  it('stays linear on large and deeply nested input', () => {
    const depth = 100_000;
    const nested = `${ESC}[6`.repeat(depth) + 'n'.repeat(depth);
    const colours = `${ESC}[31mred ${ESC}[0m`.repeat(50_000);
    const started = performance.now();
    expect(stripTerminalQueries(nested)).toBe('');
    expect(stripTerminalQueries(colours)).toBe(colours);
    const title = `${ESC}]0;${'a'.repeat(depth)}${`${ESC}[6na`.repeat(depth)}\u0007`;
    expect(stripTerminalQueries(title)).toBe(`${ESC}]0;${'a'.repeat(depth * 2)}\u0007`);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('leaves text without escapes as it is', () => {
    fc.assert(
      fc.property(
        fc.string().filter((text) => !/[\u001b\u0005\u0080-\u009f]/.test(text)),
        (text) => {
          expect(stripTerminalQueries(text)).toBe(text);
        },
      ),
    );
  });
});
