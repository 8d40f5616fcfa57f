import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, realpathSync, rmSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendControlRequest } from '../../controllers/daemon/control-client.js';
import {
  CONTROL_IDLE_MS,
  type ControlServer,
  controlSocketPath,
  startControlServer,
} from '../../controllers/daemon/control-server.js';
import { MAX_CONTROL_CLIENTS } from '../../specs/control-protocol.js';
import { waitFor } from '../support/sandbox.js';

function rawClient(path: string) {
  const socket: Socket = connect(path);
  let received = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, connected, received: () => received, closed: () => closed };
}

const list = async () => ({ ok: true as const, result: [] });

describe('the control server (real unix sockets)', () => {
  let dir: string;
  let servers: ControlServer[];
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'helios-test-')));
    servers = [];
  });
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async () => {
    const server = await startControlServer(dir, list);
    servers.push(server);
    return server;
  };

  it('closes connections that send no complete request, so idle clients cannot keep it busy', async () => {
    await start();
    const path = controlSocketPath(dir);
    const idle = Array.from({ length: MAX_CONTROL_CLIENTS }, () => rawClient(path));
    await Promise.all(idle.map((client) => client.connected));
    idle[0]!.socket.write('{"op":'); // a partial request does not keep a connection alive
    expect(await sendControlRequest(path, { op: 'list' }, 5_000)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/busy/),
    });
    await waitFor(
      () => idle.every((client) => client.closed()),
      CONTROL_IDLE_MS + 5_000,
      'the idle connections closed by the server',
    );
    for (const client of idle)
      expect(client.received()).toMatch(/no complete request within \d+ s/);
    expect(await sendControlRequest(path, { op: 'list' }, 5_000)).toEqual({ ok: true, result: [] });
  });

  it('replaces a crashed server socket, and on close removes only the socket it bound', async () => {
    const path = controlSocketPath(dir);
    // A daemon that was SIGKILLed leaves its socket file behind.
    const crash = `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
    spawnSync(process.execPath, ['-e', crash]);
    expect(existsSync(path)).toBe(true);
    const first = await start();
    expect(await sendControlRequest(path, { op: 'list' }, 5_000)).toEqual({ ok: true, result: [] });

    // Another server's socket now takes the name: closing the first must leave it alone.
    unlinkSync(path);
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(path, resolve));
    const otherIno = lstatSync(path).ino;
    await first.close();
    expect(existsSync(path) && lstatSync(path).ino).toBe(otherIno);
    await new Promise((resolve) => other.close(resolve));
    expect(existsSync(path)).toBe(false);

    const second = await start();
    await second.close();
    expect(existsSync(path)).toBe(false);
  });
});
