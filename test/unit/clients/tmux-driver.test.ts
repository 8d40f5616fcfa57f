import { describe, expect, it } from 'vitest';
import { isShellCommand } from '../../../actions/launch-command.js';
import { shellQuote } from '../../../specs/shell-quoting.js';
import { batchBySize } from '../../../clients/tmux-runner.js';

describe('tmux batches', () => {
  it('cuts batches by size (tmux refuses long command lines) and by count', () => {
    const sizes = [5000, 5000, 5000, 100, 20_000, 1];
    expect(batchBySize(sizes, (n) => n)).toEqual([[5000, 5000], [5000, 100], [20_000], [1]]);
    expect(batchBySize(Array(130).fill(1), (n) => n).map((b) => b.length)).toEqual([64, 64, 2]);
    expect(batchBySize([], (n: number) => n)).toEqual([]);
  });
});

describe('launch commands', () => {
  it('quotes words for the shell and tells shells from other commands', () => {
    expect(shellQuote('/plain/path-1')).toBe('/plain/path-1');
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
    expect(isShellCommand(['/usr/bin/fish'])).toBe(true);
    expect(isShellCommand(['python3'])).toBe(false);
  });
});
