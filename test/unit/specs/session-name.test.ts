import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sessionNameProblem } from '../../../specs/checkpoint-spec.js';

const nameChar = fc.constantFrom(...'abcXYZ019_@+=-.'.split(''));
const name = fc
  .tuple(fc.constantFrom(...'aZ9_@+-'.split('')), fc.array(nameChar, { maxLength: 30 }))
  .map(([first, rest]) => first + rest.join(''));

describe('sessionNameProblem', () => {
  it('takes a dotted name for zellij (as heliosApp does) and refuses it for tmux, which rewrites dots', () => {
    fc.assert(
      fc.property(name, (n) => {
        expect(sessionNameProblem(n, 'zellij')).toBeNull();
        expect(sessionNameProblem(n, 'tmux') === null).toBe(!n.includes('.'));
      }),
    );
  });

  it('refuses for both: ".", "..", a leading dot, ":", a control or invisible character', () => {
    for (const bad of ['.', '..', '.hidden', 'a:b', 'a\tb', 'a\u202eb', ''])
      for (const backend of ['tmux', 'zellij'] as const)
        expect(sessionNameProblem(bad, backend), `${bad} on ${backend}`).not.toBeNull();
  });

  it('takes for tmux what tmux keeps exactly: spaces, unicode, "#", "/"', () => {
    for (const good of ['my project', 'café', 'a#b', '✎', '@x', '-x'])
      expect(sessionNameProblem(good, 'tmux'), good).toBeNull();
    // A target with `$` is an id, with `/` a tty; `\` and `$NAME` are escaped by tmux.
    for (const bad of ['$0', 'cost$USD', 'pts/0', '/dev/pts/0', 'a\\b'])
      expect(sessionNameProblem(bad, 'tmux'), bad).not.toBeNull();
    for (const plainOnly of ['my project', 'café', 'a#b', 'a/b'])
      expect(sessionNameProblem(plainOnly, 'zellij'), plainOnly).not.toBeNull();
  });
});
