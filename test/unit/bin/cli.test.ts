import { rmSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from '../../support/sandbox.js';

describe('CLI', () => {
  it('prints usage and per-command help', async () => {
    expect((await runCli(['--help'])).out).toMatch(/^Usage: helios-recover <command>/);
    expect((await runCli([])).code).toBe(1);
    for (const command of ['checkpoint', 'plan', 'recover', 'status']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.out).toMatch(new RegExp(`^Usage: helios-recover ${command}`));
      expect(help.out).toContain('--state-dir DIR');
    }
  });

  it('rejects unknown commands, options and values with one line and exit 1', async () => {
    expect(await runCli(['frobnicate'])).toMatchObject({
      code: 1,
      err: 'helios-recover: unknown command "frobnicate" (try `helios-recover --help`)\n',
    });
    expect((await runCli(['plan', '--backend', 'screen'])).err).toMatch(
      /^helios-recover: invalid --backend "screen": expected tmux, zellij or auto \(see `helios-recover plan --help`\)\n$/,
    );
    expect((await runCli(['plan', '--timeout', 'soon'])).err).toMatch(
      /^helios-recover: invalid --timeout "soon"/,
    );
    expect((await runCli(['status', 'extra'])).err).toMatch(
      /^helios-recover: Unexpected argument 'extra'|^helios-recover: unexpected argument/,
    );
    // Mistypes get a suggestion; every error stays one line.
    expect(await runCli(['recvoer'])).toMatchObject({
      code: 1,
      err: 'helios-recover: unknown command "recvoer" (did you mean "recover"?) (try `helios-recover --help`)\n',
    });
    const option = await runCli(['recover', '--tmeout', '5']);
    expect(option.code).toBe(1);
    expect(option.err).toBe(
      'helios-recover: Unknown option \'--tmeout\' (did you mean "--timeout"?) (see `helios-recover recover --help`)\n',
    );
    for (const args of [
      ['recover', '--plan'],
      ['recover', '--plan', '--json'],
    ])
      expect((await runCli(args)).err).toBe(
        'helios-recover: option --plan needs a value (see `helios-recover recover --help`)\n',
      );
    const version = await runCli(['--version']);
    expect(version).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^helios-recover \d+\.\d+\.\d+\n$/),
    });
  });

  it('accepts global options before the command', async () => {
    const result = await runCli([
      '--workspace',
      'ws-x',
      '--state-dir',
      '/nonexistent/helios',
      'status',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({
      workspaceId: 'ws-x',
      stateDir: '/nonexistent/helios',
      stage: null,
      lock: { state: 'free' },
    });
  });
});

describe('safe mode and fault injection at the CLI', () => {
  it('reports and leaves safe mode', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/helios-safe-');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const cli = ['--workspace', 'test-safe', '--state-dir', dir];
    expect((await runCli(['safe-mode', ...cli])).out).toBe('Safe mode is off.\n');
    expect((await runCli(['safe-mode', 'exit', ...cli])).out).toContain('nothing to do');
    writeFileSync(
      `${dir}/safe-mode.json`,
      JSON.stringify({
        enteredAt: '2026-11-24T10:00:00.000Z',
        reason: '3 crashes within 60 s',
        crashes: 3,
      }),
    );
    expect((await runCli(['safe-mode', 'status', ...cli])).out).toBe(
      'Safe mode since 2026-11-24T10:00:00.000Z: 3 crashes within 60 s.\n',
    );
    expect((await runCli(['safe-mode', 'exit', ...cli])).out).toContain('Safe mode exited');
    expect((await runCli(['safe-mode', 'frob', ...cli])).err).toMatch(
      /unknown safe-mode command "frob"/,
    );
  });

  it('rejects bad run and session options', async () => {
    expect((await runCli(['run', '--interval', 'fast'])).err).toMatch(/invalid --interval "fast"/);
    expect((await runCli(['session'])).err).toMatch(/session needs open, close or list/);
    expect((await runCli(['session', 'open'])).err).toMatch(/session open needs --cwd DIR/);
    expect((await runCli(['session', 'open', '--cwd', '/tmp', '--env', 'NOEQUALS'])).err).toMatch(
      /invalid --env "NOEQUALS"/,
    );
    expect((await runCli(['session', 'close'])).err).toMatch(/session close needs a session ID/);
    // No daemon answers: an invalid request is still said as such, before "no daemon".
    const { mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/helios-nodaemon-');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const nobody = ['--workspace', 'test-nodaemon', '--state-dir', dir];
    const reserved = ['session', 'open', '--cwd', '/tmp', '--env', 'HELIOS_ROLE=x', ...nobody];
    expect(await runCli(reserved)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^helios-recover: invalid request: env.HELIOS_ROLE/),
    });
    expect((await runCli(['session', 'open', '--cwd', '/tmp', ...nobody])).err).toMatch(
      /^helios-recover: no daemon is serving workspace test-nodaemon/,
    );
    for (const command of ['run', 'session', 'safe-mode', 'orphans'])
      expect((await runCli([command, '--help'])).code).toBe(0);
  });
});
