import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../clients/run-command.js';
import { createSandbox, runCli, type Sandbox, sleep, waitFor } from '../support/sandbox.js';

const CLI = fileURLToPath(new URL('../../dist/bin/helios-recover.js', import.meta.url));

/** `recover` as its own process; `onStart` may signal it. Resolves with code and timing. */
function recoverProcess(args: string[], onStart?: (pid: number) => void) {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, 'recover', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: '1' },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  onStart?.(child.pid!);
  return new Promise<{ code: number | null; out: string; tookMs: number; exitedAt: number }>(
    (resolve) =>
      child.once('exit', (code) =>
        resolve({ code, out, tookMs: Date.now() - started, exitedAt: Date.now() }),
      ),
  );
}

describe('hard timeouts: a hung tmux never keeps recover up', () => {
  let sandbox: Sandbox;
  let serverPid: number;

  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-t1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    serverPid = Number(sandbox.tmux('display', '-p', '#{pid}').trim());
    process.kill(serverPid, 'SIGSTOP'); // the server hangs: every tmux client waits forever
  });
  afterEach(() => {
    process.kill(serverPid, 'SIGCONT');
    sandbox.cleanup();
  });

  it('honours --timeout for every command: exit 3 in a few timeouts, one-line reasons, no stack', async () => {
    const result = await recoverProcess(['--timeout', '1000', ...sandbox.cli]);
    expect(result.code, result.out).toBe(3);
    // Two stages observe tmux (inventory, cleanup); each command is abandoned at its deadline.
    expect(result.tookMs).toBeLessThan(2 * 1000 + 3_000);
    expect(result.out).toMatch(/tmux timed out after 1000 ms/);
    expect(result.out).toMatch(/Cleanup held back/);
    expect(result.out).not.toMatch(/^\s+at /m);
  });

  it('stops within a second of SIGTERM while a command hangs', async () => {
    let signalledAt = 0;
    const result = await recoverProcess(['--timeout', '60000', ...sandbox.cli], (pid) => {
      void sleep(1_500).then(() => {
        signalledAt = Date.now();
        process.kill(pid, 'SIGTERM');
      });
    });
    expect(signalledAt).toBeGreaterThan(0);
    expect(result.exitedAt - signalledAt, result.out).toBeLessThan(1_000);
    expect(result.code).not.toBe(0);
    expect(result.out).not.toMatch(/^\s+at /m);
  });
});

/** True while `pid` runs (a zombie waiting for its reaper is not running). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('runCommand past its deadline', () => {
  it('reports what cannot be passed to a process (a NUL byte) as a failure, never a throw', async () => {
    expect(await runCommand('echo', ['a\0b'], { timeoutMs: 1_000 })).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^echo did not run: .*null bytes/),
    });
  });

  it('kills the whole process group and returns without waiting for inherited stdio', async () => {
    const pidFile = `${process.env.TMPDIR ?? '/tmp'}/helios-grandchild-${process.pid}`;
    const started = Date.now();
    const result = await runCommand(
      'sh',
      ['-c', `sleep 30 & echo $! > ${pidFile}; exec sleep 30`],
      { timeoutMs: 400 },
    );
    expect(result).toEqual({ status: 'failed', reason: 'sh timed out after 400 ms' });
    expect(Date.now() - started).toBeLessThan(1_400);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    rmSync(pidFile);
    await waitFor(() => !running(grandchild), 2_000, 'the background child killed with its group');
  });
});
