import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readProcess } from '../../clients/proc-table.js';
import { waitFor } from './sandbox.js';

/** A process that ignores SIGHUP and SIGTERM: only SIGKILL ends it. */
export const STUBBORN = ['sh', '-c', 'trap "" HUP TERM; while :; do sleep 1; done'];

/** Real processes started by a test, in their own process groups; `stopAll` kills them. */
export function createProcessPool() {
  const started: ChildProcess[] = [];
  return {
    async start(
      argv: string[],
      env: Record<string, string> = {},
    ): Promise<{ pid: number; startTime: number }> {
      const child = spawn(argv[0]!, argv.slice(1), {
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, ...env },
      });
      started.push(child);
      await waitFor(
        async () => (await readProcess(child.pid!)) !== null,
        5_000,
        `pid ${child.pid}`,
      );
      return { pid: child.pid!, startTime: (await readProcess(child.pid!))!.startTime };
    },
    stopAll(): void {
      for (const child of started) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}

export async function isAlive(pid: number, startTime: number): Promise<boolean> {
  const info = await readProcess(pid);
  return info !== null && info.startTime === startTime;
}

/** Live pids (not zombies) whose environment carries HELIOS_WORKSPACE_ID=`workspaceId`. */
export async function markedProcesses(workspaceId: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let environ = '';
    try {
      environ = readFileSync(`/proc/${name}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (
      environ.split('\0').includes(`HELIOS_WORKSPACE_ID=${workspaceId}`) &&
      (await readProcess(Number(name))) !== null
    )
      pids.push(Number(name));
  }
  return pids;
}

/** Every live process's children, by parent pid. */
function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** `root` and all its descendants. */
export function descendantsOf(roots: number[]): Set<number> {
  const children = childrenByParent();
  const all = [...roots];
  for (let i = 0; i < all.length; i += 1) all.push(...(children.get(all[i]!) ?? []));
  return new Set(all);
}

/** The processes whose parent is `pid`. */
export const childrenOf = (pid: number): number[] => childrenByParent().get(pid) ?? [];

/** A process's argv (empty once it is gone). */
export function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}
