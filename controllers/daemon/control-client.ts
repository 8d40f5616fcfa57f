import { connect } from 'node:net';
import {
  type ControlResponse as Reply,
  parseControlResponse,
} from '../../specs/control-protocol.js';

const CLOSED_BEFORE_ANSWER: Reply = {
  ok: false,
  error:
    'the daemon is stopping: it closed the connection before answering; the request may not have been applied',
  remedy: { code: 'list_sessions' },
};

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
    const done = (reply: Reply) => {
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
      done(parseControlResponse(buffer.slice(0, newline)));
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
