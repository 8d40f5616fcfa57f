import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** A state dir (or a dir inside it) we must not act on; its message is one line with the fix. */
class UntrustedDirError extends Error {}

const currentUid = () => process.geteuid?.() ?? process.getuid?.() ?? 0;

/**
 * The real path of `dir` (symlinks resolved); for a dir that does not exist yet, the real path
 * of its nearest existing ancestor joined with the rest. Two spellings of one dir give one path.
 */
export function realPathOf(dir: string): string {
  const absolute = resolve(dir);
  try {
    return realpathSync(absolute);
  } catch (error) {
    const parent = dirname(absolute);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === absolute) return absolute;
    return join(realPathOf(parent), basename(absolute));
  }
}

/** Every ancestor of `path` (an absolute path), nearest first, `/` last. */
function ancestorsOf(path: string): string[] {
  const found: string[] = [];
  for (let at = dirname(path); ; at = dirname(at)) {
    found.push(at);
    if (dirname(at) === at) return found;
  }
}

/**
 * Why a parent of the state dir may not be trusted, or null. Whoever may rename entries in a
 * parent can put another dir in the state dir's place: so every ancestor, as spelled and as
 * resolved, must belong to the current user or root, and be writable by nobody else unless it
 * has the sticky bit (as /tmp has: there nobody renames what another user made).
 */
async function untrustedParentReason(dir: string, uid: number): Promise<string | null> {
  const spelled = resolve(dir);
  const ancestors = new Set([...ancestorsOf(spelled), ...ancestorsOf(realPathOf(spelled))]);
  for (const parent of ancestors) {
    let info;
    try {
      info = await stat(parent);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue; // created later, by us
      return `state dir ${dir}: its parent ${parent} cannot be inspected (${code})`;
    }
    if (info.uid !== uid && info.uid !== 0)
      return `state dir ${dir}: its parent ${parent} belongs to uid ${info.uid}, neither you (uid ${uid}) nor root, who could put another dir in its place; use a --state-dir under dirs only you and root control`;
    if ((info.mode & 0o022) !== 0 && (info.mode & 0o1000) === 0)
      return `state dir ${dir}: its parent ${parent} is writable by group or others without the sticky bit (mode ${(info.mode & 0o7777).toString(8)}), so they could put another dir in its place: run \`chmod go-w ${parent}\` or use another --state-dir`;
  }
  return null;
}

/**
 * Why `dir` may not be trusted, or null: it must be a directory owned by the current user and
 * writable by nobody else, and so must its parents be (or root's, or sticky; a dir that does
 * not exist yet is judged by its parents). A state dir holds commands that `recover` runs; one
 * another user created or may write or replace would let them run commands as whoever
 * recovers (root included).
 */
export async function untrustedReason(dir: string, uid = currentUid()): Promise<string | null> {
  const parents = await untrustedParentReason(dir, uid);
  if (parents !== null) return parents;
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

/**
 * Creates `dir` 0700 if missing (parents too) and refuses it unless it can be trusted; nothing
 * is created under an untrusted parent.
 */
export async function ensureTrustedDir(dir: string): Promise<void> {
  const before = await untrustedReason(dir);
  if (before !== null) throw new UntrustedDirError(before);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const reason = await untrustedReason(dir);
  if (reason !== null) throw new UntrustedDirError(reason);
}

/**
 * A private subdirectory of a trusted dir (e.g. `launch/`): created 0700, and refused when it
 * is a symlink or anything but our own directory, so nothing is ever written through a link.
 */
export async function ensurePrivateSubdir(dir: string): Promise<void> {
  // Synchronous: three local syscalls, made once per launcher (see writeFileAtomic).
  mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const info = lstatSync(dir);
  if (info.isSymbolicLink() || !info.isDirectory() || info.uid !== currentUid())
    throw new UntrustedDirError(`${dir} is not our own directory (a symlink or another owner's)`);
}

let fallback: Promise<string> | null = null;

/** A fresh private dir under the temp dir (mkdtemp, 0700), made once per process. */
export function privateTempDir(): Promise<string> {
  fallback ??= mkdtemp(join(tmpdir(), 'helios-recover-'));
  return fallback;
}
