/** Shortens `word` to `max` characters by cutting its middle (`/home/me/…/deep/file`). */
export function shortenMiddle(word: string, max: number): string {
  const chars = [...word];
  if (chars.length <= max) return word;
  if (max <= 1) return '…'.slice(0, max);
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(-tail).join('') : ''}`;
}

const widthOf = (text: string) => [...text].length;

/**
 * Fits summary lines into `width` columns: a long line is wrapped at spaces, its continuation
 * lines indented two more than the line itself; a word that alone is too wide (a path) is
 * shortened in the middle. Pure: the same lines and width give the same result.
 */
export function fitLines(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (widthOf(line) <= width) {
      out.push(line);
      continue;
    }
    const indent = /^ */.exec(line)![0];
    const next = `${indent}  `;
    const words = line.slice(indent.length).split(' ');
    let current = indent;
    let fresh = true;
    for (const raw of words) {
      const room = width - widthOf(fresh ? current : `${current} `);
      const word =
        widthOf(raw) > width - next.length ? shortenMiddle(raw, width - next.length) : raw;
      if (!fresh && widthOf(word) > room) {
        out.push(current);
        current = next;
        fresh = true;
      }
      current = fresh ? `${current}${word}` : `${current} ${word}`;
      fresh = false;
    }
    out.push(current);
  }
  return out;
}
