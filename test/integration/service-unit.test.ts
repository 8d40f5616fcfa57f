import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAEMON_NODE_FLAGS, quoteExecWord, renderUnit } from '../../specs/systemd-unit.js';
import {
  CLI,
  createServiceSandbox,
  jsonOf,
  run,
  type ServiceSandbox,
  verifyUnit,
} from '../support/systemd.js';

/** `$` as systemd keeps it until the program runs (`$$`), for comparing with its dump. */
const unexpanded = (words: readonly string[]) => words.map((word) => word.replaceAll('$', '$$$$'));

describe('service install writes a systemd user unit that systemd reads as meant', () => {
  let box: ServiceSandbox;
  beforeEach(() => {
    box = createServiceSandbox();
  });
  afterEach(() => box.cleanup());

  it('install --no-start: marked, restarts on failure, a start limit, absolute ExecStart', async () => {
    const installed = await box.helios(['service', 'install', '--no-start', ...box.cli]);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toContain(`Wrote ${box.unitFile}`);
    expect(installed.stdout).toMatch(/Not started \(--no-start\); to start it: systemctl --user/);
    const text = readFileSync(box.unitFile, 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('# written by helios-recover: its service install');
    for (const line of [
      ...['[Unit]', 'StartLimitIntervalSec=300', 'StartLimitBurst=5', '[Service]', 'Type=simple'],
      ...['Restart=on-failure', 'RestartSec=2', 'KillMode=process'],
      ...[`Environment="PATH=${box.env.PATH}"`, '[Install]', 'WantedBy=default.target'],
    ])
      expect(lines).toContain(line);
    expect(text).not.toMatch(/DBUS|XDG_RUNTIME_DIR|XDG_CONFIG_HOME/);
    const exec = lines.find((line) => line.startsWith('ExecStart='))!;
    const flags = DAEMON_NODE_FLAGS.map((flag) => `"${flag}"`).join(' ');
    expect(exec.startsWith(`ExecStart="${process.execPath}" ${flags} "${CLI}" "run"`)).toBe(true);
    expect(process.execPath.startsWith('/') && CLI.startsWith('/') && existsSync(CLI)).toBe(true);

    const argv = [process.execPath, ...DAEMON_NODE_FLAGS, CLI, 'run', '--workspace', box.ws];
    argv.push('--state-dir');
    argv.push(box.stateDir, '--backend', 'tmux', '--tmux-socket', box.cli[5]!);
    const verified = await verifyUnit(box.unitFile, box.env);
    if ('cannot' in verified) console.log(`${verified.cannot}: the unit is checked by content`);
    else {
      // Clean: an unknown setting, a bad value or an escape it ignores is a warning on stderr.
      expect([verified.code, verified.warnings]).toEqual([0, '']);
      expect(verified.argv).toEqual(unexpanded(argv));
    }
    // The same argv, run, acts on this workspace (`status` in place of the daemon): node takes
    // the daemon's flags.
    const [node, ...rest] = argv.map((word) => (word === 'run' ? 'status' : word));
    const status = await run(node!, [...rest, '--json'], box.env);
    expect(status.code, status.stderr).toBe(0);
    expect(jsonOf(status.stdout)).toMatchObject({ workspaceId: box.ws, stateDir: box.stateDir });
  });

  it('systemd itself reads every quoted ExecStart= word back exactly', async () => {
    const char = fc.constantFrom(...'aZ9 %$${}"\'\\;\n\t\r\x01\x7fé漢😀-/=');
    const words = fc.sample(fc.string({ unit: char, maxLength: 12 }), { numRuns: 60, seed: 23 });
    const file = join(box.root, 'words.service');
    const run1 = { workspaceId: 'w', stateDir: '/s' };
    const text = renderUnit({
      nodePath: process.execPath,
      cliPath: CLI,
      run: run1,
      environment: [],
    });
    const line = (exec: string) => `${exec} ${words.map(quoteExecWord).join(' ')}`;
    writeFileSync(file, text.replace(/^ExecStart=.*$/m, line));
    const verified = await verifyUnit(file, box.env);
    if ('cannot' in verified)
      return void console.log(`${verified.cannot}: quoting is checked by the reference reader`);
    expect(verified.warnings).toBe('');
    expect(verified.argv!.slice(7 + DAEMON_NODE_FLAGS.length)).toEqual(unexpanded(words));
  });

  it('installing again is idempotent, other options replace it atomically, --print writes nothing', async () => {
    const printed = await box.helios(['service', 'install', '--print', ...box.cli]);
    expect(printed.code).toBe(0);
    expect(existsSync(box.unitFile)).toBe(false);
    const written = await box.helios(['service', 'install', '--no-start', ...box.cli]);
    expect(written.code, written.stderr).toBe(0);
    const first = readFileSync(box.unitFile, 'utf8');
    expect(printed.stdout).toBe(first);
    const again = await box.helios(['service', 'install', '--no-start', '--json', ...box.cli]);
    expect(jsonOf(again.stdout)).toMatchObject({
      action: 'install',
      written: 'unchanged',
      path: box.unitFile,
      started: false,
    });
    expect(readFileSync(box.unitFile, 'utf8')).toBe(first);
    const other = await box.helios([
      'service',
      'install',
      '--no-start',
      '--timeout',
      '2000',
      ...box.cli,
    ]);
    expect(other.stdout).toContain(`Replaced ${box.unitFile}`);
    expect(readFileSync(box.unitFile, 'utf8')).toContain('"--timeout" "2000"');
    expect(readdirSync(join(box.unitFile, '..'))).toEqual([box.unit]);
  });

  it('a unit helios-recover did not write is neither replaced (without --force) nor removed', async () => {
    const foreign = '[Service]\nExecStart=/bin/true\n';
    mkdirSync(join(box.unitFile, '..'), { recursive: true });
    writeFileSync(box.unitFile, foreign);
    const refused = await box.helios(['service', 'install', '--no-start', ...box.cli]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^helios-recover: .* exists and was not written by helios-recover: left as it is \(--force replaces it\)\n$/,
    );
    const kept = await box.helios(['service', 'uninstall', ...box.cli]);
    expect(kept.code).toBe(1);
    expect(kept.stderr).toMatch(
      /^helios-recover: .* not written by helios-recover: left as it is\n$/,
    );
    expect(readFileSync(box.unitFile, 'utf8')).toBe(foreign);
    const status = await box.helios(['service', 'status', '--json', ...box.cli]);
    expect(jsonOf(status.stdout)).toMatchObject({ installed: true, ours: false });
    const forced = await box.helios(['service', 'install', '--no-start', '--force', ...box.cli]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(box.unitFile, 'utf8')).toMatch(
      /^# written by helios-recover: its service install\n/,
    );
  });
});
