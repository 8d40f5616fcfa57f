import { connect } from 'node:net';
import { join } from 'node:path';
import { readSuccessReply } from '../../specs/control-json.js';
import type { ControlResponse as Reply } from '../../specs/control-protocol.js';

/** The control socket's name in the state dir, known to both ends. */
export const CONTROL_SOCKET = 'control.sock';

export function controlSocketPath(stateDir: string): string {
  return join(stateDir, CONTROL_SOCKET);
}

const CLOSED_BEFORE_ANSWER: Reply = {
  ok: false,
  error:
    'the daemon is stopping: it closed the connection before answering; the request may not have been applied',
  remedy: { code: 'list_sessions' },
};

/**
 * A reply line as the client reads it: a success without the schemas (they are zod's, whose
 * loading is most of a client's cost), anything else by the full schema.
 */
async function readReply(line: string): Promise<Reply> {
  const success = readSuccessReply(line);
  if (success !== null) return success;
  const { parseControlResponse } = await import('../../specs/control-protocol.js');
  return parseControlResponse(line);
}

/**
 * Sends one request to the daemon's control socket and waits for its one-line reply; a
 * connection closed without one (a stopping daemon) resolves with a reason, never hangs.
 */
export function sendControlRequest(
  path: string,
  request: unknown,
  timeoutMs: number,
): Promise<Reply> {
  return new Promise((resolve) => {
    const socket = connect(path);
    let buffer = '';
    let settled = false;
    const done = (reply: Reply | Promise<Reply>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    const timer = setTimeout(
      () => done({ ok: false, error: `no reply from the daemon within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      done(
        readReply(buffer.slice(0, newline)).catch((error: Error) => ({
          ok: false as const,
          error: `cannot read the daemon's reply: ${error.message}`,
        })),
      );
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      done(
        error.code === 'ENOENT' || error.code === 'ECONNREFUSED'
          ? {
              ok: false,
              error: 'no daemon is serving workspace {workspace}',
              remedy: { code: 'start_daemon' },
            }
          : error.code === 'ECONNRESET' || error.code === 'EPIPE'
            ? CLOSED_BEFORE_ANSWER
            : { ok: false, error: `control socket: ${error.message}` },
      ),
    );
    socket.on('close', () => done(CLOSED_BEFORE_ANSWER));
  });
}
