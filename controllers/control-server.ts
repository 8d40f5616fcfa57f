import { chmod, unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import {
  type ControlRequest,
  type ControlResponse,
  MAX_CONTROL_CLIENTS,
  MAX_REQUEST_BYTES,
  parseControlRequest,
} from '../specs/control-protocol.js';

export const CONTROL_SOCKET = 'control.sock';

export function controlSocketPath(stateDir: string): string {
  return join(stateDir, CONTROL_SOCKET);
}

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
  socket.on('data', (chunk: Buffer) => {
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
  });
}

/**
 * The daemon's control socket (mode 0600 in the state dir): one JSON request per line, one JSON
 * response per line, at most MAX_REQUEST_BYTES per request and MAX_CONTROL_CLIENTS at once. A
 * request is validated by its zod schema before the handler sees it; the handler decides when
 * to answer (requests made during recovery wait).
 */
export async function startControlServer(
  stateDir: string,
  handle: (request: ControlRequest) => Promise<ControlResponse>,
): Promise<Server> {
  const path = controlSocketPath(stateDir);
  await unlink(path).catch(() => undefined); // a crashed daemon leaves its socket behind
  let clients = 0;
  const server = createServer((socket) => {
    const reply = (response: ControlResponse) =>
      socket.writable && socket.write(`${JSON.stringify(response)}\n`);
    socket.on('error', () => undefined);
    if (clients >= MAX_CONTROL_CLIENTS) {
      reply({ ok: false, error: `the daemon is busy (${MAX_CONTROL_CLIENTS} clients connected)` });
      socket.end();
      return;
    }
    clients += 1;
    socket.once('close', () => (clients -= 1));
    readLines(
      socket,
      MAX_REQUEST_BYTES,
      (line) => {
        const request = parseControlRequest(line);
        const answer =
          typeof request === 'string'
            ? Promise.resolve<ControlResponse>({ ok: false, error: request })
            : handle(request);
        void answer
          .catch((error: Error): ControlResponse => ({ ok: false, error: error.message }))
          .then(reply);
      },
      () => {
        reply({ ok: false, error: `request refused: larger than ${MAX_REQUEST_BYTES} bytes` });
        socket.destroySoon();
        socket.removeAllListeners('data');
        socket.pause();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return server;
}
