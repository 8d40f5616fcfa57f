import { cellWidth, shortenMiddle } from './cell-width.js';

export { cellWidth, shortenMiddle };

/** A word of prose, or a command quoted in backticks (with what is glued before and after). */
type Token =
  | { readonly kind: 'word'; readonly text: string }
  | {
      readonly kind: 'command';
      readonly pre: string;
      readonly words: readonly string[];
      readonly post: string;
    };

/** Shell words of a command line: split at spaces outside single quotes and not escaped. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quoted = false;
  let escaped = false;
  for (const char of command) {
    if (escaped) escaped = false;
    else if (char === '\\' && !quoted) escaped = true;
    else if (char === "'") quoted = !quoted;
    if (char === ' ' && !quoted && !escaped) {
      if (word) words.push(word);
      word = '';
    } else word += char;
  }
  if (word) words.push(word);
  return words;
}

/** The words of a line, a span in backticks being one command token (a quoted `'` inside). */
function tokensOf(body: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i]!;
    if (char === '`') {
      let end = i + 1;
      for (let quoted = false; end < body.length && (quoted || body[end] !== '`'); end += 1)
        if (body[end] === '\\' && !quoted) end += 1;
        else if (body[end] === "'") quoted = !quoted;
      if (end < body.length) {
        const next = body.indexOf(' ', end);
        const stop = next < 0 ? body.length : next;
        const words = shellWords(body.slice(i + 1, end));
        tokens.push({ kind: 'command', pre: word, words, post: body.slice(end + 1, stop) });
        word = '';
        i = stop;
        continue;
      }
    }
    if (char === ' ') {
      tokens.push({ kind: 'word', text: word });
      word = '';
    } else word += char;
  }
  if (word || body.endsWith(' ') || tokens.length === 0) tokens.push({ kind: 'word', text: word });
  return tokens;
}

/**
 * A command's units, the places it may wrap between: the program with its subcommands, then
 * each option with its value (`--state-dir '/my dir'`), then each argument. The backticks and
 * what is glued to them go with the first and the last unit. Each unit keeps its words, for a
 * unit that alone is too wide.
 */
function unitsOf(token: Extract<Token, { kind: 'command' }>): string[][] {
  const units: string[][] = [];
  const { words } = token;
  let i = 0;
  const head: string[] = [];
  while (i < words.length && !words[i]!.startsWith('-')) head.push(words[i++]!);
  if (head.length > 0) units.push(head);
  while (i < words.length) {
    const word = words[i++]!;
    if (word.startsWith('-') && i < words.length && !words[i]!.startsWith('-'))
      units.push([word, words[i++]!]);
    else units.push([word]);
  }
  if (units.length === 0) units.push(['']);
  units[0]![0] = `${token.pre}\`${units[0]![0]}`;
  const last = units.at(-1)!;
  last[last.length - 1] = `${last.at(-1)}\`${token.post}`;
  return units;
}

/**
 * Lays one line out in `width` cells. Prose wraps at spaces, continuation lines indented two
 * more than the line. A command in backticks that fits on a line is kept whole (moved to the
 * next line if need be); a longer one wraps between its units with ` \` line continuations,
 * its continuation lines indented four more, so that it still pastes as one command: never
 * inside an option's value. Only a single word wider than a whole line is cut in the middle
 * (`…`), and then `cut` says so.
 */
function layout(line: string, width: number): { lines: string[]; cut: boolean } {
  const indent = /^ */.exec(line)![0];
  const wrapIndent = `${indent}  `;
  const commandIndent = `${indent}    `;
  const out: string[] = [];
  let current = indent;
  let fresh = true;
  let cut = false;
  const room = (reserve: number) => width - cellWidth(current) - (fresh ? 0 : 1) - reserve;
  const newLine = (continued: boolean, next: string) => {
    out.push(continued ? `${current} \\` : current);
    current = next;
    fresh = true;
  };
  const put = (text: string) => {
    current = fresh ? `${current}${text}` : `${current} ${text}`;
    fresh = false;
  };
  /** Places `text`, breaking before it as `continued` says, cutting it only when it must. */
  const place = (text: string, reserve: number, continued: boolean) => {
    if (!fresh && cellWidth(text) > room(reserve))
      newLine(continued, continued ? commandIndent : wrapIndent);
    let shown = text;
    if (cellWidth(shown) > room(reserve)) {
      shown = shortenMiddle(shown, Math.max(1, room(reserve)));
      cut = true;
    }
    put(shown);
  };
  for (const token of tokensOf(line.slice(indent.length))) {
    if (token.kind === 'word') {
      place(token.text, 0, false);
      continue;
    }
    const units = unitsOf(token);
    const whole = units.map((unit) => unit.join(' ')).join(' ');
    if (cellWidth(whole) <= room(0) || cellWidth(whole) <= width - wrapIndent.length) {
      place(whole, 0, false);
      continue;
    }
    for (const [k, unit] of units.entries()) {
      const more = k < units.length - 1;
      const text = unit.join(' ');
      const fitsALine = cellWidth(text) <= width - commandIndent.length - (more ? 2 : 0);
      if (fitsALine) place(text, more ? 2 : 0, k > 0);
      else
        for (const [j, word] of unit.entries()) {
          const after = more || j < unit.length - 1;
          place(word, after ? 2 : 0, k > 0 || j > 0);
        }
    }
  }
  out.push(current);
  return { lines: out, cut };
}

/**
 * Fits summary lines into `width` cells (East Asian wide characters and emoji count 2,
 * combining marks 0): what `layout` does to each line that is too wide. `cut` lists the lines
 * (as given, trimmed) in which a word had to be shortened, for the caller to show in full.
 * Pure: the same lines and width give the same result.
 */
export function fitText(
  lines: readonly string[],
  width: number,
): { lines: string[]; cut: string[] } {
  const out: string[] = [];
  const cut: string[] = [];
  for (const line of lines) {
    if (cellWidth(line) <= width) {
      out.push(line);
      continue;
    }
    const laid = layout(line, width);
    out.push(...laid.lines);
    if (laid.cut) cut.push(line.trim());
  }
  return { lines: out, cut };
}

/** The lines of `fitText`, for callers that only draw them. */
export function fitLines(lines: readonly string[], width: number): string[] {
  return fitText(lines, width).lines;
}
