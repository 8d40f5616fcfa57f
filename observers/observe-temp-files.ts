import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Observation, TempFile } from '../specs/actual-state.js';
import { findOpenPaths } from './open-files.js';
import { readProcess } from '../clients/proc-table.js';

/**
 * `*.tmp` files in the state dir with their age and whether a live process is writing them (a
 * crash can leave a half-written checkpoint behind).
 */
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
  const found = await Promise.all(
    names
      .filter((name) => name.endsWith('.tmp'))
      .map(async (name) => {
        const path = join(stateDir, name);
        const info = await stat(path).catch(() => null);
        return info ? { path, ageMs: Math.max(0, now - info.mtimeMs) } : null;
      }),
  );
  const files = found.filter((item) => item !== null);
  const open = await findOpenPaths(new Set(files.map((file) => file.path)));
  const items = await Promise.all(
    files.map(async (file): Promise<TempFile> => {
      // writeFileAtomic names its temp files `<target>.<pid>-<random>.tmp`.
      const writer = /\.(\d+)-[0-9a-f]+\.tmp$/.exec(file.path);
      const writerAlive = writer !== null && (await readProcess(Number(writer[1]))) !== null;
      return { ...file, hasLiveWriter: open.has(file.path) || writerAlive };
    }),
  );
  return { status: 'ok', items };
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
