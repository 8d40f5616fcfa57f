import { lstat, mkdir, mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A state dir (or a dir inside it) we must not act on; its message is one line with the fix. */
class UntrustedDirError extends Error {}

const currentUid = () => process.geteuid?.() ?? process.getuid?.() ?? 0;

/**
 * Why `dir` may not be trusted, or null: it must be a directory owned by the current user and
 * writable by nobody else. A state dir holds commands that `recover` runs; one another user
 * created or may write would let them run commands as whoever recovers (root included).
 */
export async function untrustedReason(dir: string, uid = currentUid()): Promise<string | null> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? null : `state dir ${dir} cannot be inspected (${code})`;
  }
  if (!info.isDirectory())
    return `state dir ${dir} is not a directory; remove it or choose another --state-dir`;
  if (info.uid !== uid)
    return `state dir ${dir} belongs to uid ${info.uid}, not to you (uid ${uid}): refusing to run what it holds; use your own --state-dir`;
  if ((info.mode & 0o022) !== 0)
    return `state dir ${dir} is writable by group or others (mode ${(info.mode & 0o777).toString(8)}): run \`chmod 700 ${dir}\``;
  return null;
}

/** Creates `dir` 0700 if missing (parents too) and refuses it unless it can be trusted. */
export async function ensureTrustedDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const reason = await untrustedReason(dir);
  if (reason !== null) throw new UntrustedDirError(reason);
}

/**
 * A private subdirectory of a trusted dir (e.g. `launch/`): created 0700, and refused when it
 * is a symlink or anything but our own directory, so nothing is ever written through a link.
 */
export async function ensurePrivateSubdir(dir: string): Promise<void> {
  await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
  await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const info = await lstat(dir);
  if (info.isSymbolicLink() || !info.isDirectory() || info.uid !== currentUid())
    throw new UntrustedDirError(`${dir} is not our own directory (a symlink or another owner's)`);
}

let fallback: Promise<string> | null = null;

/** A fresh private dir under the temp dir (mkdtemp, 0700), made once per process. */
export function privateTempDir(): Promise<string> {
  fallback ??= mkdtemp(join(tmpdir(), 'helios-recover-'));
  return fallback;
}
