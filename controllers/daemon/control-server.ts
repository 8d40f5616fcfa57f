import { randomBytes } from 'node:crypto';
import { chmod, lstat, rename, unlink } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { controlSocketPath } from './control-client.js';
import {
  type ControlRequest,
  type ControlResponse,
  MAX_CONTROL_CLIENTS,
  MAX_REQUEST_BYTES,
  parseControlRequest,
} from '../../specs/control-protocol.js';

export { CONTROL_SOCKET, controlSocketPath } from './control-client.js';

const NEWLINE = 0x0a;

/**
 * Splits a socket's bytes into lines in linear time: each chunk is searched once, bytes without
 * a newline are kept as chunks (never re-scanned), and a line longer than `maxBytes` is refused
 * the moment it passes the limit, without buffering the rest.
 */
function readLines(
  socket: Socket,
  maxBytes: number,
  onLine: (line: string) => void,
  onTooLong: () => void,
): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const onData = (chunk: Buffer) => {
    let start = 0;
    for (
      let newline = chunk.indexOf(NEWLINE);
      newline >= 0;
      newline = chunk.indexOf(NEWLINE, start)
    ) {
      if (pendingBytes + newline - start > maxBytes) return onTooLong();
      const line = Buffer.concat([...pending, chunk.subarray(start, newline)]).toString('utf8');
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
      onLine(line);
    }
    pendingBytes += chunk.length - start;
    if (pendingBytes > maxBytes) return onTooLong();
    if (start < chunk.length) pending.push(chunk.subarray(start));
    return undefined;
  };
  socket.on('data', onData);
}

/** A connection that has sent no complete request for this long is closed, with a reason. */
export const CONTROL_IDLE_MS = 5_000;
/** How long a refused connection is drained (its bytes read and dropped) before it is destroyed. */
const LINGER_MS = 2_000;

/** The bound control socket; `close` stops serving and removes only the socket it bound. */
export interface ControlServer {
  close(): Promise<void>;
}

/**
 * Answers and closes a connection so the answer reaches the peer: the reply is flushed before
 * the end of stream, and what the peer still sends is read and dropped (an unread byte would
 * reset the connection and lose the reply) until it closes, or LINGER_MS have passed.
 */
function answerAndClose(socket: Socket, text: string | null): void {
  socket.removeAllListeners('data');
  socket.on('data', () => undefined);
  socket.resume();
  if (text === null) socket.end();
  else socket.end(text);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/**
 * The daemon's control socket (mode 0600 in the state dir): one JSON request per line, one JSON
 * response per line, at most MAX_REQUEST_BYTES per request and MAX_CONTROL_CLIENTS at once, and
 * no connection held idle past CONTROL_IDLE_MS. A request is validated by its zod schema before
 * the handler sees it; the handler decides when to answer (requests made during recovery wait).
 * Call it only while holding the workspace lock: the socket is bound aside and renamed into
 * place (replacing a crashed daemon's), and `close` unlinks it only while it is still the one
 * this server bound (same device and inode).
 */
export async function startControlServer(
  stateDir: string,
  handle: (request: ControlRequest) => Promise<ControlResponse>,
): Promise<ControlServer> {
  const path = controlSocketPath(stateDir);
  const connections = new Set<Socket>();
  const line = (response: ControlResponse) => `${JSON.stringify(response)}\n`;
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    if (connections.size >= MAX_CONTROL_CLIENTS) {
      const busy = `the daemon is busy (${MAX_CONTROL_CLIENTS} clients connected)`;
      answerAndClose(socket, line({ ok: false, error: busy }));
      return;
    }
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    let waiting = 0;
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      if (waiting > 0 || socket.destroyed) return;
      idle = setTimeout(() => {
        const error = `request refused: no complete request within ${CONTROL_IDLE_MS / 1000} s`;
        answerAndClose(socket, line({ ok: false, error }));
      }, CONTROL_IDLE_MS);
      idle.unref();
    };
    socket.once('close', () => clearTimeout(idle));
    armIdle();
    readLines(
      socket,
      MAX_REQUEST_BYTES,
      (text) => {
        waiting += 1;
        clearTimeout(idle);
        const request = parseControlRequest(text);
        const answer =
          typeof request === 'string'
            ? Promise.resolve<ControlResponse>({ ok: false, error: request })
            : handle(request);
        void answer
          .catch((error: Error): ControlResponse => ({ ok: false, error: error.message }))
          .then((response) => {
            waiting -= 1;
            if (socket.writable) socket.write(line(response));
            armIdle();
          });
      },
      () => {
        clearTimeout(idle);
        const error = `request refused: larger than ${MAX_REQUEST_BYTES} bytes`;
        answerAndClose(socket, line({ ok: false, error }));
      },
    );
  });
  // Bound under a private name: closing a listening server unlinks the name it bound, which
  // after the rename is no longer a name anyone uses.
  const aside = join(stateDir, `.control-${randomBytes(4).toString('hex')}`);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(aside, () => resolve());
  });
  const bound = await (async () => {
    await chmod(aside, 0o600);
    await rename(aside, path);
    return lstat(path);
  })().catch(async (error: unknown) => {
    await new Promise((resolve) => server.close(resolve));
    await unlink(aside).catch(() => undefined);
    throw error;
  });
  let closing: Promise<void> | null = null;
  return {
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise((resolve) => server.close(resolve));
        for (const socket of connections) answerAndClose(socket, null);
        await closed;
        const current = await lstat(path).catch(() => null);
        if (current && current.dev === bound.dev && current.ino === bound.ino)
          await unlink(path).catch(() => undefined);
      })()),
  };
}
