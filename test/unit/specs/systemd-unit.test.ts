import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAEMON_NODE_FLAGS,
  isOurUnit,
  quoteEnvironment,
  quoteExecWord,
  renderUnit,
  runArgsOf,
  START_LIMIT,
  UNIT_MARK,
  unitNameOf,
} from '../../../specs/systemd-unit.js';
import { environmentOf, execArgv } from '../../support/systemd.js';

/** Any text but NUL, dense in what systemd reads specially. */
const SPECIAL = [
  '%',
  '$',
  '{',
  '"',
  "'",
  '\\',
  ' ',
  '\n',
  '\t',
  '\r',
  ';',
  '\x01',
  '\x7f',
  'é',
  '😀',
];
const char = fc.oneof(
  fc.constantFrom(...SPECIAL),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const anyText = fc.string({ unit: char, maxLength: 40 }).filter((s) => !s.includes('\0'));

describe('systemd quoting', () => {
  it('an ExecStart= word reaches the program exactly (any text but NUL)', () => {
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 6 }), (words) => {
        expect(execArgv(words.map(quoteExecWord).join(' '))).toEqual(words);
      }),
      { numRuns: 500 },
    );
  });

  it('writes % as %%, $ as $$, and escapes quotes, backslashes and control characters', () => {
    expect(quoteExecWord('/home/me/my dir')).toBe('"/home/me/my dir"');
    expect(quoteExecWord('100%')).toBe('"100%%"');
    expect(quoteExecWord('$HOME ${X}')).toBe('"$$HOME $${X}"');
    expect(quoteExecWord('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteExecWord("it's")).toBe('"it\'s"');
    expect(quoteExecWord('a\\b')).toBe('"a\\\\b"');
    expect(quoteExecWord('line\nnext\ttab\x01')).toBe('"line\\nnext\\ttab\\x01"');
    expect(quoteExecWord(';')).toBe('";"');
    expect(quoteExecWord('')).toBe('""');
    expect(execArgv('"100%%" "$$HOME" "a\\\\b" "\\"q\\""')).toEqual([
      '100%',
      '$HOME',
      'a\\b',
      '"q"',
    ]);
  });

  it('the reference reader refuses what an unquoted word would lean on', () => {
    expect(() => execArgv('"%h"')).toThrow(/specifier/);
    expect(() => execArgv('"$HOME"')).toThrow(/variable/);
    expect(() => execArgv('"open')).toThrow(/unbalanced/);
  });

  it('NUL bytes and lone surrogates are refused, not mangled', () => {
    expect(() => quoteExecWord('a\0b')).toThrow(/NUL/);
    expect(() => quoteExecWord('a\ud800b')).toThrow(/surrogate/);
  });

  it('an Environment= assignment sets exactly its value: % doubled, $ kept', () => {
    const value = anyText.filter((s) => !/[\0-\x1f\x7f]/.test(s));
    fc.assert(
      fc.property(value, (text) => {
        expect(environmentOf(quoteEnvironment('PATH', text))).toEqual([`PATH=${text}`]);
      }),
      { numRuns: 300 },
    );
    expect(quoteEnvironment('X', 'a $b 5%')).toBe('"X=a $b 5%%"');
    expect(() => quoteEnvironment('PATH', 'a\nb')).toThrow(/control character/);
    expect(() => quoteEnvironment('1X', 'a')).toThrow(/variable name/);
  });
});

describe('unit names', () => {
  it('keeps letters, digits and _ . - and escapes the rest as \\xNN', () => {
    expect(unitNameOf('default')).toBe('helios-recover-default.service');
    expect(unitNameOf('my-ws_2.x')).toBe('helios-recover-my-ws_2.x.service');
    expect(unitNameOf('a@b')).toBe('helios-recover-a\\x40b.service');
    expect(unitNameOf('c++')).toBe('helios-recover-c\\x2b\\x2b.service');
  });

  it('two workspace ids never share a unit name', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,20}$/);
    fc.assert(
      fc.property(id, id, (a, b) => {
        fc.pre(a !== b);
        expect(unitNameOf(a)).not.toBe(unitNameOf(b));
      }),
    );
  });

  it('refuses an id too long for a unit name, and an empty one', () => {
    expect(unitNameOf('a'.repeat(128))).toHaveLength(15 + 128 + 8);
    expect(() => unitNameOf('@'.repeat(128))).toThrow(/too long for a systemd unit name/);
    expect(() => unitNameOf('')).toThrow();
  });
});

describe('the unit text', () => {
  const run = { workspaceId: 'ws', stateDir: '/s/my state' };
  const spec = {
    nodePath: '/usr/bin/node',
    cliPath: '/opt/h r/dist/bin/helios-recover.js',
    run,
    environment: [['PATH', '/usr/bin:/bin'] as const],
  };

  it('is marked, restarts on failure within a start limit, and runs run by absolute paths', () => {
    const text = renderUnit(spec);
    const lines = text.split('\n');
    expect(lines[0]).toBe(UNIT_MARK);
    expect(isOurUnit(text)).toBe(true);
    expect(isOurUnit(`[Unit]\n${text}`)).toBe(false);
    for (const line of [
      '[Unit]',
      `StartLimitIntervalSec=${START_LIMIT.intervalSec}`,
      `StartLimitBurst=${START_LIMIT.burst}`,
      '[Service]',
      'Type=simple',
      'Restart=on-failure',
      'RestartSec=2',
      'KillMode=process',
      'Environment="PATH=/usr/bin:/bin"',
      '[Install]',
      'WantedBy=default.target',
    ])
      expect(lines).toContain(line);
    const exec = lines.find((line) => line.startsWith('ExecStart='))!;
    expect(execArgv(exec.slice('ExecStart='.length))).toEqual([
      '/usr/bin/node',
      ...DAEMON_NODE_FLAGS,
      '/opt/h r/dist/bin/helios-recover.js',
      'run',
      '--workspace',
      'ws',
      '--state-dir',
      '/s/my state',
    ]);
    expect(lines.filter((line) => line.startsWith('Environment='))).toHaveLength(1);
  });

  it('passes every workspace option given, and none that is not', () => {
    expect(
      runArgsOf({
        ...run,
        backend: 'tmux',
        tmuxSocket: 'sock',
        tmuxSocketPath: '/tmp/s',
        timeoutMs: 500,
        prune: true,
        allowEnv: ['AWS_*', 'X'],
        restorePrograms: ['vim'],
      }),
    ).toEqual([
      'run',
      '--workspace',
      'ws',
      '--state-dir',
      '/s/my state',
      '--backend',
      'tmux',
      '--tmux-socket',
      'sock',
      '--tmux-socket-path',
      '/tmp/s',
      '--timeout',
      '500',
      '--prune',
      '--allow-env',
      'AWS_*,X',
      '--restore-programs',
      'vim',
    ]);
    expect(runArgsOf({ ...run, backend: 'auto', allowEnv: [], prune: false })).toEqual([
      'run',
      '--workspace',
      'ws',
      '--state-dir',
      '/s/my state',
    ]);
  });

  it('refuses a node path systemd cannot take as its executable', () => {
    expect(() => renderUnit({ ...spec, nodePath: 'node' })).toThrow(/systemd executable/);
    expect(() => renderUnit({ ...spec, nodePath: '/a"b/node' })).toThrow(/systemd executable/);
  });
});
