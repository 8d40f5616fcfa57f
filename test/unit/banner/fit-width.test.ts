import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { stripAnsi } from '../../../banner/ansi.js';
import { fitLines, shortenMiddle } from '../../../banner/fit-width.js';
import { INITIAL_BANNER } from '../../../banner/banner-state.js';
import { reduceBanner } from '../../../banner/reduce-banner.js';
import { createTtyRenderer, loadFitting } from '../../../banner/render-tty.js';
import { NO_COLOURS } from '../../../banner/ansi.js';
import { aRecoveryWithOneFailure } from '../../support/events.js';

// The TTY renderer draws its box once its fitting (cell widths) is loaded.
beforeAll(() => loadFitting());

const word = fc.stringMatching(/^[a-z/._-]{1,60}$/);
const line = fc
  .tuple(fc.nat({ max: 6 }), fc.array(word, { minLength: 1, maxLength: 30 }))
  .map(([indent, words]) => `${' '.repeat(indent)}${words.join(' ')}`);

describe('fitting the summary to the terminal', () => {
  it('never gives a line wider than the width, and keeps every word that fits', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 8 }),
        fc.integer({ min: 20, max: 200 }),
        (lines, width) => {
          const fitted = fitLines(lines, width);
          for (const out of fitted) expect([...out].length).toBeLessThanOrEqual(width);
          const words = (text: string[]) => text.join(' ').split(/\s+/).filter(Boolean);
          if (lines.every((l) => l.split(' ').every((w) => w.length <= width - 8)))
            expect(words(fitted)).toEqual(words(lines));
        },
      ),
    );
  });

  it('shortens a path in the middle', () => {
    expect(shortenMiddle('/home/me/projects/deep/nested/file.txt', 20)).toBe(
      '/home/me/p…/file.txt',
    );
    expect(shortenMiddle('short', 20)).toBe('short');
  });

  it('draws no box wider than a 120-column terminal, whatever the paths', () => {
    const renderer = createTtyRenderer(NO_COLOURS, 120);
    let state = INITIAL_BANNER;
    let last = '';
    for (const event of aRecoveryWithOneFailure(`/very/${'long/'.repeat(40)}path`)) {
      const before = state;
      state = reduceBanner(state, event);
      last = renderer.render(event, before, state) || last;
    }
    const rows = stripAnsi(last).split('\n').filter(Boolean);
    const bottom = rows.findIndex((row) => row.startsWith('└'));
    const box = rows.slice(0, bottom + 1);
    expect(box[0]).toMatch(/^┌/);
    for (const row of box) expect([...row].length).toBeLessThanOrEqual(120);
    // The path had to be cut inside the box: below it, in full, to copy.
    expect(rows[bottom + 1]).toBe('In full (… above marks text cut to fit):');
    expect(rows.slice(bottom + 2).join('\n')).toContain(`/very/${'long/'.repeat(40)}path`);
  });
});
