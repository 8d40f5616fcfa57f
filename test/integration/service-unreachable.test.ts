import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, createServiceSandbox, jsonOf, type ServiceSandbox } from '../support/systemd.js';
import { DAEMON_NODE_FLAGS } from '../../specs/systemd-unit.js';

describe('service without a systemd user manager, or without systemd at all', () => {
  let box: ServiceSandbox;
  beforeEach(() => {
    box = createServiceSandbox();
  });
  afterEach(() => box.cleanup());

  it('no user manager: install writes, then says what to do; status and uninstall say so too', async () => {
    const before = jsonOf((await box.helios(['service', 'status', '--json', ...box.cli])).stdout);
    expect(before).toMatchObject({
      action: 'status',
      installed: false,
      enabled: null,
      active: null,
    });
    expect(before.systemd.state).toBe('no-user-manager');

    const installed = await box.helios(['service', 'install', ...box.cli]);
    expect(installed.code, installed.stderr).toBe(0);
    const said = installed.stdout.trim().split('\n');
    expect(said).toHaveLength(2);
    expect(said[1]).toMatch(
      /^Not started: no systemd user manager answers \(.+\); `loginctl enable-linger "\$USER"` starts one/,
    );
    expect(said[1]).toContain(
      `nohup ${[process.execPath, ...DAEMON_NODE_FLAGS, CLI].join(' ')} run --workspace ${box.ws}`,
    );
    const asJson = jsonOf((await box.helios(['service', 'install', '--json', ...box.cli])).stdout);
    expect(asJson).toMatchObject({ written: 'unchanged', started: false, steps: [] });
    expect(asJson.systemd.state).toBe('no-user-manager');
    // The command to run by hand, read by a real shell, is the unit's argv.
    const script = `eval "set -- $1"; printf '%s\\0' "$@"`;
    const argv = execFileSync('sh', ['-c', script, 'sh', asJson.manualCommand], {
      encoding: 'utf8',
    });
    expect(argv.split('\0').slice(0, 9)).toEqual([
      ...[process.execPath, ...DAEMON_NODE_FLAGS, CLI, 'run', '--workspace', box.ws],
      ...['--state-dir', box.stateDir],
    ]);

    const status = await box.helios(['service', 'status', ...box.cli]);
    expect(status.stdout).toBe(
      `Unit ${box.unit}: ${box.unitFile} (written by helios-recover).\nsystemd: no user manager answers (${asJson.systemd.reason}).\n`,
    );
    const removed = await box.helios(['service', 'uninstall', ...box.cli]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/^Uninstalled .*: file removed; systemd was not asked/);
    expect(existsSync(box.unitFile)).toBe(false);
    const after = await box.helios(['service', 'status', '--json', ...box.cli]);
    expect(jsonOf(after.stdout)).toMatchObject({ installed: false, ours: false });
    const again = await box.helios(['service', 'uninstall', ...box.cli]);
    expect([again.code, again.stdout]).toEqual([
      0,
      `${box.unitFile} is not there: nothing to uninstall.\n`,
    ]);
  });

  it('no systemctl at all: the exact command to run the daemon by hand', async () => {
    const bare = { ...box.env, PATH: join(box.root, 'no-bin') };
    const installed = await box.helios(['service', 'install', ...box.cli], bare);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout.trim().split('\n')[1]).toMatch(
      /^Not started: systemd is not available here \(no systemctl on PATH\); run the daemon yourself: nohup \//,
    );
    const status = jsonOf(
      (await box.helios(['service', 'status', '--json', ...box.cli], bare)).stdout,
    );
    expect(status.systemd).toEqual({ state: 'no-systemctl', reason: 'no systemctl on PATH' });
    expect(readFileSync(box.unitFile, 'utf8')).toContain(`Environment="PATH=${bare.PATH}"`);
  });

  it('the unit goes to ~/.config/systemd/user without an absolute XDG_CONFIG_HOME', async () => {
    const home = join(box.root, 'home');
    const env = { ...box.env, HOME: home, XDG_CONFIG_HOME: 'relative' };
    const installed = await box.helios(
      ['service', 'install', '--no-start', '--json', '-w', 'plain'],
      env,
    );
    expect(jsonOf(installed.stdout).path).toBe(
      join(home, '.config', 'systemd', 'user', 'helios-recover-plain.service'),
    );
  });

  it('bad input is one line and exit 1; --help for service and each action', async () => {
    for (const [args, said] of [
      [['service', 'instal'], /unknown service action "instal" \(did you mean "install"\?\)/],
      [['service'], /which action\? install, uninstall or status/],
      [['service', 'status', '--force'], /option --force is for `service install` only/],
      [['service', 'install', '--print', '--no-start'], /--print writes nothing/],
      [['service', 'install', '--no-start', '-w', 'bad id'], /invalid workspace id "bad id"/],
      [['service', 'install', '-w'], /option -w(\/--workspace)? needs a value/],
    ] as const) {
      const result = await box.helios(args);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr).toMatch(said);
    }
    for (const action of ['', 'install', 'uninstall', 'status']) {
      const help = await box.helios(['service', ...(action ? [action] : []), '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(
        new RegExp(`^Usage: helios-recover service ${action || '<install'}`),
      );
    }
    expect(existsSync(join(box.root, 'config'))).toBe(false);
  });
});
