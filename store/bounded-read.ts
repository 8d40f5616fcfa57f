import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** The largest checkpoint (or imported file) read: far above any real one (64 KiB scrollback
 * per session), far below what would stall the reader. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

/** A file that is refused before (or instead of) being read; the message is one line. */
export class RefusedFileError extends Error {}

const MiB = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/**
 * Reads a regular file of at most `maxBytes` as UTF-8. Opened without blocking (a FIFO would
 * wait for a writer forever) and refused unless it is a regular file of bounded size; with
 * `noFollow`, a symlink is refused too. Other errors (ENOENT, EACCES) are thrown as they are.
 */
export async function readBoundedFile(
  path: string,
  { maxBytes = MAX_INPUT_BYTES, noFollow = false } = {},
): Promise<string> {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0);
  const handle = await open(path, flags).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ELOOP') throw new RefusedFileError('a symlink (not followed)');
    throw error;
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new RefusedFileError('not a regular file');
    if (info.size > maxBytes)
      throw new RefusedFileError(`${MiB(info.size)}, over the ${MiB(maxBytes)} limit`);
    const buffer = Buffer.alloc(maxBytes + 1 > info.size + 1 ? info.size + 1 : maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    if (length > maxBytes) throw new RefusedFileError(`grew over the ${MiB(maxBytes)} limit`);
    return buffer.toString('utf8', 0, length);
  } finally {
    await handle.close();
  }
}
