import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEARTBEAT_MS } from '../../controllers/workspace-lock.js';
import { PAUSED_CLI, runCliProcess } from '../support/daemon.js';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';

const readIf = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : null);
const heartbeatAge = (sandbox: Sandbox) =>
  Date.now() -
  Date.parse(
    (
      JSON.parse(readFileSync(join(sandbox.stateDir, 'helios.lock'), 'utf8')) as {
        heartbeatAt: string;
      }
    ).heartbeatAt,
  );

describe('the lock holds while its holder lives', () => {
  let sandbox: Sandbox;
  let stopped: number | null = null;
  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-s1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
  });
  afterEach(() => {
    if (stopped !== null) {
      process.kill(stopped, 'SIGCONT');
      process.kill(stopped, 'SIGKILL');
    }
    stopped = null;
    sandbox.cleanup();
  });

  it('a recover stopped past two heartbeats is a stalled holder: refused, no crash, and it finishes', async () => {
    const first = spawn(process.execPath, [PAUSED_CLI, 'recover', '--no-wait', ...sandbox.cli], {
      env: { ...process.env, CI: '1', HELIOS_TEST_PAUSE_AT: 'INVENTORYING:4000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    first.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    first.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => first.once('exit', resolve));
    await waitFor(() => output.includes('pausing'), 15_000, 'the first recover holding the lock');
    process.kill(first.pid!, 'SIGSTOP'); // Ctrl-Z
    stopped = first.pid!;
    const lastCrash = readIf(join(sandbox.stateDir, 'last-crash.json'));
    const history = readIf(join(sandbox.stateDir, 'crash-history.json'));
    await waitFor(() => heartbeatAge(sandbox) > 2 * HEARTBEAT_MS + 1_500, 15_000, 'missed beats');

    const status = JSON.parse((await runCli(['status', '--json', ...sandbox.cli])).out);
    expect(status.lock).toMatchObject({ state: 'stalled', record: { pid: first.pid } });
    expect((await runCli(['status', ...sandbox.cli])).out).toMatch(
      new RegExp(`Lock: +held by pid ${first.pid} .*stalled: no heartbeat for \\d+ s`),
    );
    const second = await runCliProcess(['recover', '--no-wait', ...sandbox.cli]);
    expect(second.code, second.out).toBe(1);
    expect(second.out).toMatch(
      new RegExp(`held by pid ${first.pid} .*stalled: no heartbeat for \\d+ s`),
    );
    expect(readIf(join(sandbox.stateDir, 'last-crash.json'))).toBe(lastCrash);
    expect(readIf(join(sandbox.stateDir, 'crash-history.json'))).toBe(history);
    const daemon = await runCliProcess(['run', ...sandbox.cli]);
    expect(daemon.code, daemon.out).toBe(1);
    expect(daemon.out).toMatch(`pid ${first.pid}`);

    process.kill(first.pid!, 'SIGCONT');
    stopped = null;
    expect(await exited, output).toBe(0);
    expect(readIf(join(sandbox.stateDir, 'crash-history.json'))).toBe(history);
    expect(JSON.parse((await runCli(['status', '--json', ...sandbox.cli])).out).lock).toEqual({
      state: 'free',
    });
  });
});
