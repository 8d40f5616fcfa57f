import { readdir, readlink } from 'node:fs/promises';

/** Paths that live processes hold open, from /proc/PID/fd (processes we may read). */
export async function findOpenPaths(candidates: ReadonlySet<string>): Promise<Set<string>> {
  const open = new Set<string>();
  if (candidates.size === 0) return open;
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  await Promise.all(
    pids.map(async (pid) => {
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
      for (const fd of fds) {
        const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => null);
        if (target !== null && candidates.has(target)) open.add(target);
      }
    }),
  );
  return open;
}
