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
  `${ESC}]11;?\u0007`,
  `${ESC}]4;1;?${ESC}\\`,
  `${ESC}]52;c;?\u0007`,
  `${ESC}P$qm${ESC}\\`,
  `${ESC}P+q544e${ESC}\\`,
  '\u009b6n',
  '\u0005',
];
const KEPT = [
  `${ESC}[31m`,
  `${ESC}[1;38;5;208m`,
  `${ESC}[0m`,
  `${ESC}[2J`,
  `${ESC}[H`,
  `${ESC}]0;title\u0007`,
  `${ESC}[22;0t`,
];

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

  it('leaves text without escapes as it is', () => {
    fc.assert(
      fc.property(
        fc.string().filter((text) => !/[\u001b\u0005\u0090\u009b\u009c\u009d]/.test(text)),
        (text) => {
          expect(stripTerminalQueries(text)).toBe(text);
        },
      ),
    );
  });
});
