import { describe, expect, it } from 'vitest';
import { SESSION_HOLDERS, sessionHolderOf } from '../../../specs/session-holders.js';

/** How each holder shows itself in /proc: comm, argv and executable, as seen on real systems. */
const SIGHTINGS: Record<string, { comm: string; argv: string[]; exe?: string }> = {
  tmux: { comm: 'tmux: server', argv: ['tmux', '-L', 'work', 'new-session', '-d'] },
  zellij: { comm: 'zellij', argv: ['zellij', '--server', '/run/user/0/zellij/0.45.1/main'] },
  screen: { comm: 'screen', argv: ['SCREEN', '-dmS', 'work'] },
  dtach: { comm: 'dtach', argv: ['dtach', '-n', '/tmp/s', 'bash'] },
  abduco: { comm: 'abduco', argv: ['abduco', '-n', 'work', 'bash'] },
  'mosh-server': { comm: 'mosh-server', argv: ['mosh-server', 'new', '-s'] },
  dvtm: { comm: 'dvtm', argv: ['dvtm'] },
  byobu: { comm: 'byobu', argv: ['/usr/bin/byobu'] },
  reptyr: { comm: 'reptyr', argv: ['reptyr', '1234'] },
  sshd: { comm: 'sshd', argv: ['sshd: alice@pts/3'] },
  script: { comm: 'script', argv: ['script', '-qc', 'bash', '/dev/null'] },
  expect: { comm: 'expect', argv: ['expect', '-f', 'login.exp'] },
};

describe('session holders', () => {
  it.each(SESSION_HOLDERS.map((holder) => holder.name))('recognises %s', (name) => {
    const seen = SIGHTINGS[name];
    expect(seen, `a sighting of ${name} in this test`).toBeDefined();
    expect(sessionHolderOf(seen!)).toBe(name);
    // By comm alone, by argv0 alone (case-insensitive) and by the executable alone.
    expect(sessionHolderOf({ comm: seen!.comm.toUpperCase(), argv: [] })).toBe(name);
    expect(sessionHolderOf({ comm: 'x', argv: [`/opt/bin/${name.toUpperCase()}`] })).toBe(name);
    expect(sessionHolderOf({ comm: 'renamed', argv: ['renamed'], exe: name })).toBe(name);
  });

  it('catches a zellij server run through an interpreter, and nothing that is not a holder', () => {
    expect(
      sessionHolderOf({ comm: 'node', argv: ['node', '/t/zellij-emulator.mjs', '--server', 's'] }),
    ).toBe('zellij');
    for (const argv of [
      ['bash', '-l'],
      ['sleep', '9'],
      ['vim', 'tmux.conf'],
      ['node', 'x.js'],
    ])
      expect(sessionHolderOf({ comm: argv[0]!, argv, exe: argv[0] })).toBeNull();
    expect(sessionHolderOf({ comm: 'bash', argv: ['-bash'] })).toBeNull();
  });
});
