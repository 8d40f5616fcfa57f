import { WriteStream } from 'node:tty';
import { describe, expect, it } from 'vitest';
import { chooseRenderer, firstBannerChunk } from '../../../banner/choose-renderer.js';
import { usesColour } from '../../../banner/ansi.js';

/** A terminal as Node sees one: `isTTY`, and Node's own `hasColors` (it reads only `env`). */
const terminal = {
  isTTY: true,
  hasColors: WriteStream.prototype.hasColors as (env?: object) => boolean,
  write: () => true,
};
const pipe = { isTTY: false, write: () => true };
const SGR = /\u001b\[\d+m/;
const firstLine = (env: NodeJS.ProcessEnv, stream: typeof pipe = terminal) =>
  firstBannerChunk(chooseRenderer({ mode: 'tty', stream, env }));

describe('colour follows NO_COLOR, FORCE_COLOR and TERM as Node decides them', () => {
  it('colours a terminal that has colours, and none when NO_COLOR is set', () => {
    expect(firstLine({ TERM: 'xterm-256color' })).toMatch(SGR);
    expect(firstLine({ TERM: 'xterm-256color', NO_COLOR: '1' })).not.toMatch(SGR);
    expect(firstLine({ TERM: 'dumb' })).not.toMatch(SGR);
  });

  it('lets FORCE_COLOR turn colours on and off', () => {
    expect(firstLine({ TERM: 'dumb', FORCE_COLOR: '1' })).toMatch(SGR);
    expect(firstLine({ TERM: 'xterm-256color', FORCE_COLOR: '0' })).not.toMatch(SGR);
    expect(firstLine({ TERM: 'xterm-256color' }, pipe)).not.toMatch(SGR);
    expect(firstLine({ FORCE_COLOR: '1' }, pipe)).toMatch(SGR);
  });

  it('asks the stream itself when it can answer', () => {
    expect(usesColour({ isTTY: true, hasColors: () => false }, { FORCE_COLOR: '3' })).toBe(false);
    expect(usesColour({ isTTY: true, hasColors: () => true }, {})).toBe(true);
  });

  it('still redraws lines only on a terminal outside CI', () => {
    expect(chooseRenderer({ stream: terminal, env: { TERM: 'xterm' } }).drawsOnTerminal).toBe(true);
    expect(chooseRenderer({ stream: terminal, env: { CI: 'true' } }).drawsOnTerminal).not.toBe(
      true,
    );
  });
});
