import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sealCheckpoint } from '../specs/checkpoint-codec.js';
import { writeCheckpoint } from '../store/checkpoint-store.js';
import { benchWorkspace, median, round, timeIt, tmux } from './measure.js';

const MAIN = new URL('../bin/main.js', import.meta.url).href;
/**
 * The CLI (what bin/helios-recover.ts does) plus its own CPU time on stderr at exit: the growth
 * is judged on CPU, which the other load on a shared machine disturbs far less than wall time.
 */
const CLI_WITH_CPU = `const { main } = await import(${JSON.stringify(MAIN)});
process.exitCode = await main(process.argv.slice(1));
const usage = process.resourceUsage();
process.stderr.write('cpu-us ' + (usage.userCPUTime + usage.systemCPUTime) + '\\n');`;
const run = promisify(execFile);

/** Restorable sessions beside the blocked entries (the 3). */
const GOOD = 3;
/**
 * Recover counts as clearly superlinear when an entry costs this many times more between the two
 * largest sizes than between the two smallest (linear: 1; quadratic over 1,000 / 3,000 / 10,000:
 * 3.25).
 */
export const SUPERLINEAR_GROWTH = 2;
/** One recover that takes longer than this is stopped and counts as superlinear. */
export const RUN_TIMEOUT_MS = 120_000;

/** A checkpoint of GOOD /bin/sh sessions in `cwd` and `blocked` ones whose cwd is gone. */
async function writeBlockedCheckpoint(stateDir: string, blocked: number, cwd: string) {
  const session = (id: string, dir: string) => ({
    sessionId: id,
    terminalId: `t-${id}`,
    laneId: null,
    multiplexer: 'tmux' as const,
    sessionName: `helios-${id}`,
    workingDirectory: dir,
    environment: {},
    shellCommand: ['/bin/sh'],
    scrollback: '',
  });
  await writeCheckpoint(
    stateDir,
    sealCheckpoint({
      workspaceId: 'bench',
      generation: 0,
      createdAt: new Date().toISOString(),
      host: 'bench',
      sessions: [
        ...Array.from({ length: GOOD }, (_, i) => session(`g${i}`, cwd)),
        ...Array.from({ length: blocked }, (_, i) => session(`b${i}`, join(cwd, `gone-${i}`))),
      ],
      lanes: [],
      shareWorkers: [],
    }),
  );
}

/**
 * One `helios-recover recover` process over `blocked` blocked entries: its time to exit, its CPU
 * time, and the oldest heartbeat its lock showed while it ran (a starved loop stops the heartbeat).
 */
async function recoverOnce(blocked: number, root: string) {
  const socket = `helios-bench-blocked-${process.pid}`;
  const stateDir = join(root, `state-${blocked}-${Math.random().toString(36).slice(2)}`);
  await writeBlockedCheckpoint(stateDir, blocked, root);
  let running = true;
  let oldestHeartbeatMs = 0;
  const watch = (async () => {
    while (running) {
      try {
        const lock = JSON.parse(readFileSync(join(stateDir, 'helios.lock'), 'utf8'));
        const age = Date.now() - Date.parse(lock.heartbeatAt);
        if (running) oldestHeartbeatMs = Math.max(oldestHeartbeatMs, age);
      } catch {
        // not taken yet, or already released
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  let cpuMs = 0;
  const ms = await timeIt(async () => {
    const args = ['recover', ...benchWorkspace('bench', stateDir, socket)];
    const { stderr } = await run(
      process.execPath,
      ['--input-type=module', '-e', CLI_WITH_CPU, ...args],
      {
        env: { ...process.env, CI: '1' },
        maxBuffer: 256 * 1024 * 1024,
        timeout: RUN_TIMEOUT_MS,
        killSignal: 'SIGKILL',
      },
    ).catch((error: { stderr: string }) => ({ stderr: error.stderr }));
    cpuMs = Number(/cpu-us (\d+)/.exec(stderr)?.[1] ?? NaN) / 1000;
  });
  running = false;
  await watch;
  tmux(socket, ['kill-server']);
  rmSync(stateDir, { recursive: true, force: true });
  // No CPU line: the process was stopped at RUN_TIMEOUT_MS (or died); its time counts as endless.
  return Number.isFinite(cpuMs)
    ? { ms, cpuMs, oldestHeartbeatMs }
    : { ms: Infinity, cpuMs: Infinity, oldestHeartbeatMs };
}

/**
 * recover with 0 (the fixed cost: start-up, the good sessions) and each of `sizes` blocked
 * entries (ascending, at least 3); medians of `runs`, wall and CPU time of the recover process.
 * `growth` is what one more entry costs in CPU between the two largest sizes over what it costs
 * between the two smallest: the fixed cost cancels out, and a quadratic shows as about 3 (the
 * issue measured 1.3 s / 4.6 s / 17 s for 1,000 / 3,000 / 6,000). `exponent` fits
 * cpu(n) - cpu(0) ~ n^k from the smallest to the largest size, for the report (noisy when the
 * smallest is close to cpu(0)). A run stopped after RUN_TIMEOUT_MS counts as endless (growth
 * Infinity).
 */
export async function benchBlocked(sizes: readonly number[], runs: number) {
  const root = mkdtempSync(join(tmpdir(), 'helios-bench-blocked-'));
  try {
    const measure = async (blocked: number) => {
      const times: number[] = [];
      const cpu: number[] = [];
      let oldest = 0;
      for (let i = 0; i < runs; i += 1) {
        const once = await recoverOnce(blocked, root);
        times.push(once.ms);
        cpu.push(once.cpuMs);
        oldest = Math.max(oldest, once.oldestHeartbeatMs);
        if (once.cpuMs === Infinity) break; // once is enough to know
      }
      return {
        blocked,
        medianMs: round(median(times)),
        cpuMs: round(median(cpu)),
        oldestHeartbeatMs: round(oldest),
      };
    };
    type Point = Awaited<ReturnType<typeof measure>>;
    const base = await measure(0);
    const points: Point[] = [];
    for (const n of sizes) points.push(await measure(n));
    const perEntry = (a: Point, b: Point) =>
      b.cpuMs === Infinity
        ? Infinity
        : Math.max(0.001, (b.cpuMs - a.cpuMs) / (b.blocked - a.blocked));
    const [p0, p1] = [points[0]!, points[1]!];
    const [q0, q1] = [points.at(-2)!, points.at(-1)!];
    const growth = Math.round((perEntry(q0, q1) / perEntry(p0, p1)) * 100) / 100;
    const above = (p: Point) => Math.max(1, p.cpuMs - base.cpuMs);
    const exponent =
      Math.round((Math.log(above(q1) / above(p0)) / Math.log(q1.blocked / p0.blocked)) * 100) / 100;
    return {
      base,
      points: points.map((p) => ({
        ...p,
        cpuPerEntryMs: Math.round((above(p) / p.blocked) * 1000) / 1000,
      })),
      growth,
      exponent,
      /** Sizes whose recover was stopped after RUN_TIMEOUT_MS. */
      unfinished: points.filter((p) => p.cpuMs === Infinity).map((p) => p.blocked),
      linear: growth <= SUPERLINEAR_GROWTH,
      runs,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
