import { type ChildProcess, spawn } from 'node:child_process';
import { executeTerminates } from '../actions/execute-cleanup.js';
import { observeOrphans } from '../observers/observe-orphans.js';
import { readProcess } from '../clients/proc-table.js';
import type { TerminateAction } from '../specs/plan.js';
import { median, round, timeIt } from './measure.js';

const STUBBORN = ['-c', 'trap "" HUP TERM; while :; do sleep 1; done'];

async function startMany(
  n: number,
  env: Record<string, string>,
  argv: string[],
): Promise<ChildProcess[]> {
  const children = Array.from({ length: n }, () =>
    spawn('sh', argv, { detached: true, stdio: 'ignore', env: { ...process.env, ...env } }),
  );
  for (const child of children)
    while ((await readProcess(child.pid!)) === null) await new Promise((r) => setTimeout(r, 5));
  return children;
}

function stopAll(children: readonly ChildProcess[]): void {
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Orphan scan with `alive` extra processes running, 100 of them owned. */
export async function benchOrphanScan(alive: number, runs: number) {
  const children = await startMany(
    alive,
    { HELIOS_WORKSPACE_ID: 'bench-scan', HELIOS_ROLE: 'shell' },
    ['-c', 'sleep 600'],
  );
  try {
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < runs; i += 1) {
      times.push(
        await timeIt(async () => {
          const scan = await observeOrphans(
            {},
            {
              stateDir: '/nonexistent',
              workspaceId: 'bench',
              timeoutMs: 5_000,
              env: process.env,
              repositories: [],
            },
          );
          found = scan.processes.status === 'ok' ? scan.processes.items.length : 0;
        }),
      );
    }
    return {
      processesStarted: alive,
      candidatesFound: found,
      medianMs: round(median(times)),
      runs,
    };
  } finally {
    stopAll(children);
  }
}

/** Cleanup of N owned orphans, half of which ignore SIGHUP/SIGTERM (so the 3 s grace is paid). */
export async function benchCleanup(n: number) {
  const polite = await startMany(
    n / 2,
    { HELIOS_WORKSPACE_ID: 'bench-clean', HELIOS_ROLE: 'shell' },
    ['-c', 'sleep 600'],
  );
  const stubborn = await startMany(
    n - n / 2,
    { HELIOS_WORKSPACE_ID: 'bench-clean', HELIOS_ROLE: 'shell' },
    STUBBORN,
  );
  const all = [...polite, ...stubborn];
  try {
    const actions: TerminateAction[] = [];
    for (const child of all) {
      const info = (await readProcess(child.pid!))!;
      actions.push({
        kind: 'terminate',
        key: `pid:${info.pid}`,
        wave: 4,
        reason: 'orphan_owned',
        target: {
          type: 'process',
          pid: info.pid,
          startTime: info.startTime,
          pgid: info.pgid,
          signal: 'SIGHUP',
          label: 'bench',
        },
      });
    }
    let terminated = 0;
    const ms = await timeIt(async () => {
      const outcomes = await executeTerminates(actions, {
        stateDir: '/nonexistent',
        env: process.env,
        workspaceId: 'bench-clean',
        instanceId: 'i-bench',
        incarnation: 'bench',
        tmux: { env: process.env },
        zellij: { env: process.env },
        timeoutMs: 5_000,
      });
      terminated = outcomes.filter((o) => o.status === 'succeeded').length;
    });
    return { orphans: n, stubborn: stubborn.length, terminated, ms: round(ms) };
  } finally {
    stopAll(all);
  }
}
