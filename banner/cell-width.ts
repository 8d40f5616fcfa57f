import { eastAsianWidth } from 'get-east-asian-width';

/**
 * Terminal cells a code point takes: 0 for combining marks, format characters (zero-width
 * joiner, variation selectors are marks) and controls; 2 for East Asian wide and fullwidth
 * characters, emoji among them (Unicode's East Asian Width, from get-east-asian-width);
 * else 1. Ambiguous characters count 1, as terminals draw them outside CJK locales. This is
 * the count tmux and wcwidth-based terminals make, so a box drawn with it lines up there.
 */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}\u1160-\u11ff]$/u;

export function codePointCells(char: string): 0 | 1 | 2 {
  if (ZERO_WIDTH.test(char)) return 0;
  return eastAsianWidth(char.codePointAt(0)!);
}

/** The cells `text` (plain: no escape sequences) takes on a terminal. */
export function cellWidth(text: string): number {
  let cells = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    // Printable ASCII, by far the most common: 1 cell, no lookup.
    cells += code >= 0x20 && code < 0x7f ? 1 : codePointCells(char);
  }
  return cells;
}

/** The longest head of `chars` that fits in `cells` (a zero-width mark stays with its base). */
function headWithin(chars: readonly string[], cells: number): string[] {
  const out: string[] = [];
  let used = 0;
  for (const char of chars) {
    const width = codePointCells(char);
    if (used + width > cells) break;
    out.push(char);
    used += width;
  }
  return out;
}

/**
 * Shortens `word` to at most `max` cells by cutting its middle (`/home/me/…/deep/file`);
 * a word that fits is returned as it is.
 */
export function shortenMiddle(word: string, max: number): string {
  if (cellWidth(word) <= max) return word;
  if (max < 1) return '';
  if (max === 1) return '…';
  const chars = [...word];
  const room = max - 1;
  const head = headWithin(chars, Math.ceil(room / 2));
  const tail = headWithin([...chars].reverse(), room - cellWidth(head.join(''))).reverse();
  return `${head.join('')}…${tail.join('')}`;
}
