import { readFileSync, rmSync, mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { controlSocketPath } from '../../controllers/daemon/control-server.js';
import { MAX_CONTROL_CLIENTS } from '../../specs/control-protocol.js';
import { type DaemonProcess, runCliProcess, startRun } from '../support/daemon.js';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';

/** A raw client of the control socket: what it was sent back, its errors, whether it closed. */
function rawClient(path: string) {
  const socket: Socket = connect(path);
  let received = '';
  let closed = false;
  const errors: string[] = [];
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
  socket.on('close', () => (closed = true));
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, connected, received: () => received, closed: () => closed, errors };
}

const checkpointText = (sandbox: Sandbox) =>
  readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8');
const heartbeat = (sandbox: Sandbox) =>
  (
    JSON.parse(readFileSync(join(sandbox.stateDir, 'helios.lock'), 'utf8')) as {
      heartbeatAt: string;
    }
  ).heartbeatAt;

describe('the control socket under hostile requests (real daemon process, real tmux)', () => {
  let sandbox: Sandbox;
  let daemon: DaemonProcess;

  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-c1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    daemon = startRun(sandbox, {}, ['--checkpoint-interval', '600000']);
    await daemon.waitFor('LIVE');
  });
  afterEach(async () => {
    daemon.child.kill('SIGKILL');
    await daemon.exited;
    sandbox.cleanup();
  });

  it('refuses a request without a newline past 64 KiB at once, and keeps serving and beating', async () => {
    const flood = rawClient(controlSocketPath(sandbox.stateDir));
    await flood.connected;
    const before = heartbeat(sandbox);
    const block = Buffer.alloc(1024 * 1024, 0x61);
    const answered = () => flood.received().includes('\n');
    for (let i = 0; i < 64 && !flood.closed() && !answered(); i += 1) {
      if (!flood.socket.write(block))
        await new Promise((resolve) => {
          flood.socket.once('drain', resolve);
          flood.socket.once('close', resolve);
        });
    }
    // The refusal is read whole before the connection is judged: the server flushes it, then
    // ends the connection while reading and dropping what the flood still sends.
    await waitFor(answered, 5_000, 'the refusal');
    expect(flood.received()).toMatch(/request refused: larger than 65536 bytes/);
    await waitFor(() => flood.closed(), 5_000, 'the flood connection closed');
    // A writer still flooding when the connection ends may see it broken; nothing else.
    for (const code of flood.errors)
      expect(['EPIPE', 'ECONNRESET', 'ERR_STREAM_WRITE_AFTER_END']).toContain(code);
    const listed = await runCliProcess(['session', 'list', ...sandbox.cli]);
    expect(listed.code, listed.out).toBe(0);
    await waitFor(() => heartbeat(sandbox) !== before, 6_000, 'the heartbeat moved on');
    const second = await runCliProcess(['recover', ...sandbox.cli]);
    expect(second.out).toMatch(/already|held|running/);
    expect(second.code).not.toBe(0);
  });

  it('serves at most 16 clients at once and refuses the next one in one line', async () => {
    const idle = Array.from({ length: MAX_CONTROL_CLIENTS }, () =>
      rawClient(controlSocketPath(sandbox.stateDir)),
    );
    await Promise.all(idle.map((client) => client.connected));
    const extra = rawClient(controlSocketPath(sandbox.stateDir));
    await waitFor(() => extra.closed(), 5_000, 'the extra client refused');
    expect(extra.received()).toMatch(/busy \(16 clients connected\)/);
    for (const client of idle) client.socket.destroy();
    await waitFor(
      async () => (await runCliProcess(['session', 'list', ...sandbox.cli])).code === 0,
      5_000,
      'served again',
    );
  });

  it('refuses __proto__ / constructor keys and bad fields without touching the desired state', async () => {
    const before = checkpointText(sandbox);
    const hostile = [
      '{"op":"open","cwd":"/tmp","env":{"__proto__":{"a":"b"}}}',
      '{"op":"open","cwd":"/tmp","env":{"constructor":"x"}}',
      '{"op":"open","cwd":"/tmp","__proto__":{"lane":"x"}}',
      '{"op":"open","cwd":"/tmp","env":{"HELIOS_WORKSPACE_ID":"other"}}',
      '{"op":"open","cwd":"/tmp","env":{"K":1}}',
      '{"op":"open","cwd":"/tmp","extra":true}',
      '{"op":"explode"}',
      'not json',
    ];
    for (const line of hostile) {
      const client = rawClient(controlSocketPath(sandbox.stateDir));
      client.socket.write(`${line}\n`);
      await waitFor(() => client.received().includes('\n'), 5_000, `a reply to ${line}`);
      expect(JSON.parse(client.received()), line).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^request (refused|is not JSON)/),
      });
      client.socket.destroy();
    }
    const cli = await runCliProcess([
      'session',
      'open',
      '--cwd',
      '/tmp',
      '--env',
      '__proto__=x',
      ...sandbox.cli,
    ]);
    expect(cli.code).toBe(1);
    expect(cli.out).toMatch(/invalid request: key "__proto__" is not allowed/);
    expect(checkpointText(sandbox)).toBe(before);
    // Variables tmux could not take: refused by the daemon before anything is written.
    const big = ['session', 'open', '--cwd', '/tmp', '--env', `BIG=${'x'.repeat(9000)}`];
    const tooBig = await runCliProcess([...big, ...sandbox.cli]);
    expect(tooBig.code).toBe(1);
    expect(tooBig.out).toMatch(/invalid request: env: at most 8192 bytes of NAME=value in all/);
    expect(checkpointText(sandbox)).toBe(before);

    const opened = await runCliProcess([
      'session',
      'open',
      '--cwd',
      sandbox.dir('ok'),
      '--env',
      'K=v',
      ...sandbox.cli,
    ]);
    expect(opened.code, opened.out).toBe(0);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    expect(daemon.output()).toContain('Stopped cleanly: final checkpoint written');
    expect((await runCli(['plan', ...sandbox.cli])).code).toBe(0);
  });

  it('says so, and exits 3, when the final checkpoint cannot be written at SIGTERM', async () => {
    const current = join(sandbox.stateDir, 'checkpoint.json');
    const text = checkpointText(sandbox);
    rmSync(current);
    mkdirSync(current); // rename over a directory fails: the write cannot land
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(3);
    expect(daemon.output()).toMatch(/final checkpoint was not written: /);
    expect(daemon.output()).not.toContain('final checkpoint written');
    rmSync(current, { recursive: true });
    expect(text.length).toBeGreaterThan(0);
  });
});
