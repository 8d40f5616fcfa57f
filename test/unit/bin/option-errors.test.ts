import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/sandbox.js';

/** Every string option of every command, as its help names it: `-w/--workspace` or `--out`. */
const GLOBAL = [
  ['-w', '-w/--workspace'],
  ['--workspace', '-w/--workspace'],
  ['-L', '-L/--tmux-socket'],
  ['--tmux-socket', '-L/--tmux-socket'],
  ['-S', '-S/--tmux-socket-path'],
  ['--state-dir', '--state-dir'],
  ['--backend', '--backend'],
  ['--timeout', '--timeout'],
  ['--allow-env', '--allow-env'],
  ['--restore-programs', '--restore-programs'],
] as const;
const COMMANDS = [
  'checkpoint',
  'plan',
  'recover',
  'status',
  'orphans',
  'run',
  'session',
  'safe-mode',
  'import',
];
const OWN: [string, string][] = [
  ['checkpoint', '--repo'],
  ['plan', '--out'],
  ['recover', '--plan'],
  ['run', '--interval'],
  ['run', '--checkpoint-interval'],
  ['session', '--cwd'],
  ['session', '--env'],
  ['session', '--lane'],
  ['import', '--out'],
];

describe('option errors', () => {
  it('say in one tidy line which option of which command needs a value, exit 1', async () => {
    for (const command of COMMANDS)
      for (const [given, label] of GLOBAL)
        for (const args of [
          [command, given],
          [command, given, '--json'],
        ])
          expect(await runCli(args), args.join(' ')).toEqual({
            code: 1,
            out: '',
            err: `helios-recover: option ${label} needs a value (see \`helios-recover ${command} --help\`)\n`,
          });
    for (const [command, option] of OWN)
      expect((await runCli([command, option])).err).toBe(
        `helios-recover: option ${option} needs a value (see \`helios-recover ${command} --help\`)\n`,
      );
  });

  it('say a switch takes no value, and name an unexpected argument alike', async () => {
    expect(await runCli(['plan', '--json=yes'])).toMatchObject({
      code: 1,
      err: 'helios-recover: option --json takes no value (see `helios-recover plan --help`)\n',
    });
    expect((await runCli(['status', 'extra'])).err).toBe(
      'helios-recover: unexpected argument "extra" (see `helios-recover status --help`)\n',
    );
  });
});
