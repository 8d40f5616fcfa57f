import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Observation, TempFile } from '../specs/actual-state.js';

/** `*.tmp` files in the state dir with their age (a crash can leave a half-written checkpoint). */
export async function observeTempFiles(
  stateDir: string,
  now: number,
): Promise<Observation<TempFile>> {
  let names: string[];
  try {
    names = await readdir(stateDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'ok', items: [] };
    return { status: 'unavailable', reason: `cannot read ${stateDir} (${code})` };
  }
  const items = await Promise.all(
    names
      .filter((name) => name.endsWith('.tmp'))
      .map(async (name) => {
        const path = join(stateDir, name);
        const info = await stat(path).catch(() => null);
        return info ? { path, ageMs: Math.max(0, now - info.mtimeMs) } : null;
      }),
  );
  return { status: 'ok', items: items.filter((item): item is TempFile => item !== null) };
}

/** Which of `paths` do not exist as directories. */
export async function findMissingDirectories(paths: readonly string[]): Promise<string[]> {
  const unique = [...new Set(paths)];
  const present = await Promise.all(
    unique.map((path) =>
      stat(path).then(
        (info) => info.isDirectory(),
        () => false,
      ),
    ),
  );
  return unique.filter((_, index) => !present[index]).sort();
}
