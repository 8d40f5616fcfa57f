import { describe, expect, it } from 'vitest';
import { parseHiddenEntries, parseStatusZ } from '../../../clients/worktree-contents.js';

describe('what removing a worktree would lose, parsed', () => {
  it('reads git status -z: renames carry their source, ignored entries are apart', () => {
    const stdout = [
      ' M a.txt',
      'R  new name',
      'old name',
      '?? NOTES.md',
      '!! .env',
      '!! dist/',
      '',
    ];
    expect(parseStatusZ(stdout.join('\0'))).toEqual({
      changed: ['a.txt', 'new name', 'NOTES.md'],
      ignored: ['.env', 'dist/'],
    });
    expect(parseStatusZ('')).toEqual({ changed: [], ignored: [] });
  });

  it('reads git ls-files -v -z: S is skip-worktree, a lower-case tag assume-unchanged', () => {
    const stdout = ['H tracked', 'S local.conf', 'h big.bin', 's both', 'M merge', 'H with space'];
    expect(parseHiddenEntries(`${stdout.join('\0')}\0`)).toEqual({
      skipWorktree: ['local.conf', 'both'],
      assumeUnchanged: ['big.bin'],
    });
  });
});
