import { chmod, unlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

export const CONTROL_SOCKET = 'control.sock';

/** A control request (one JSON line), as `helios-recover session ...` sends it. */
export type ControlRequest =
  | {
      readonly op: 'open';
      readonly cwd: string;
      readonly env?: Record<string, string>;
      readonly lane?: string | null;
    }
  | { readonly op: 'close'; readonly sessionId: string }
  | { readonly op: 'list' };

export type ControlResponse =
  { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };

export function controlSocketPath(stateDir: string): string {
  return join(stateDir, CONTROL_SOCKET);
}

function parseRequest(line: string): ControlRequest | string {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return 'request is not JSON';
  }
  const op = (raw as { op?: unknown } | null)?.op;
  if (op === 'list') return { op };
  if (op === 'close' && typeof (raw as { sessionId?: unknown }).sessionId === 'string')
    return raw as ControlRequest;
  if (op === 'open' && typeof (raw as { cwd?: unknown }).cwd === 'string')
    return raw as ControlRequest;
  return `unknown or incomplete request ${JSON.stringify(op ?? null)}`;
}

/**
 * The daemon's control socket (mode 0600 in the state dir): one JSON request per line, one JSON
 * response per line. The handler decides when to answer (requests made during recovery wait).
 */
export async function startControlServer(
  stateDir: string,
  handle: (request: ControlRequest) => Promise<ControlResponse>,
): Promise<Server> {
  const path = controlSocketPath(stateDir);
  await unlink(path).catch(() => undefined); // a crashed daemon leaves its socket behind
  const server = createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const request = parseRequest(line);
        const reply =
          typeof request === 'string'
            ? Promise.resolve<ControlResponse>({ ok: false, error: request })
            : handle(request);
        void reply
          .catch((error: Error): ControlResponse => ({ ok: false, error: error.message }))
          .then((response) => socket.writable && socket.write(`${JSON.stringify(response)}\n`));
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return server;
}
