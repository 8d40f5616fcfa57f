import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Temp file in the same dir (a fresh name, created exclusively: never through a link), fsync,
 * rename, fsync the dir. The temp file is removed on failure (only when this call created it: a
 * name that existed already is not ours to remove). `durable: false` skips both
 * fsyncs for files that need no crash safety (launchers, their claim files): those are many (a
 * few per pane) and small, and are written synchronously, in a loop, not through the thread
 * pool (a restore of 100 sessions waited 94-136 ms for its launchers before its first tmux
 * batch, 56-78 ms once they were written in a loop).
 */
export async function writeFileAtomic(
  path: string,
  content: string,
  mode = 0o600,
  durable = true,
): Promise<void> {
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  if (!durable) return writeQuicklySync(temp, path, content, mode);
  let created = false;
  try {
    const handle = await open(temp, 'wx', mode);
    created = true;
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    if (created) await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(join(path, '..'));
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function writeQuicklySync(temp: string, path: string, content: string, mode: number): void {
  let created = false;
  try {
    const fd = openSync(temp, 'wx', mode);
    created = true;
    try {
      writeFileSync(fd, content, 'utf8');
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    try {
      if (created) unlinkSync(temp);
    } catch {
      // gone already
    }
    throw error;
  }
}
