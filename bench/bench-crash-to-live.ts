import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { verifyRespawns } from '../actions/verify-respawns.js';
import { configure } from '../controllers/workspace-config.js';
import { RestorationPipeline } from '../facades/restoration-pipeline.js';
import type { CheckpointSpec } from '../specs/checkpoint-spec.js';
import {
  benchWorkspace,
  CLI,
  type BenchShape,
  median,
  ONE_PANE,
  round,
  timeIt,
  tmux,
  writeBenchCheckpoint,
} from './measure.js';

const run = promisify(execFile);

/**
 * The physical floor: the same N sessions (command, cwd, env), with the same windows and panes,
 * created by plain batched tmux commands (`new-session`, `new-window`, `split-window`).
 */
async function rawFloor(n: number, cwd: string, shape: BenchShape): Promise<number> {
  const socket = `helios-bench-raw-${process.pid}`;
  const args: string[] = [];
  const calls: string[][] = [];
  const perCall = Math.max(1, Math.floor(64 / (shape.windows * shape.panes)));
  const push = (...command: string[]) => args.push(...(args.length ? [';'] : []), ...command);
  for (let i = 0; i < n; i += 1) {
    const tail = ['-c', cwd, '-e', `BENCH=${i}`, '/bin/sh'];
    for (let w = 0; w < shape.windows; w += 1) {
      if (w === 0) push('new-session', '-d', '-s', `raw-${i}`, ...tail);
      else push('new-window', '-d', '-t', `=raw-${i}:${w}`, ...tail);
      for (let p = 1; p < shape.panes; p += 1)
        push('split-window', '-d', '-t', `=raw-${i}:${w}.${p - 1}`, ...tail);
    }
    if ((i + 1) % perCall === 0 || i === n - 1) calls.push(args.splice(0));
  }
  const ms = await timeIt(async () => {
    for (const call of calls) await run('tmux', ['-L', socket, ...call]);
  });
  tmux(socket, ['kill-server']);
  await settle();
  return ms;
}

/** Lets the shells of a killed server exit before the next measurement starts. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

/**
 * Crash-to-live: `helios-recover recover` process start to exit at LIVE with N sessions created
 * and verified. Then, on the same live sessions, one more verification pass in this process:
 * what verification costs (its settle window, one listing, the /proc reads) within that figure.
 */
async function crashToLive(
  n: number,
  root: string,
  shape: BenchShape,
): Promise<{
  ms: number;
  verifyMs: number;
  rssKb: number;
  inProcessMs: number;
  bareNodeMs: number;
  stages: StageTimes;
}> {
  const socket = `helios-bench-${process.pid}`;
  const stateDir = join(root, `state-${n}-${Math.random().toString(36).slice(2)}`);
  const document = await writeBenchCheckpoint(stateDir, 'bench', n, root, shape);
  let rssKb = 0;
  let stdout = '';
  const started = Date.now();
  const ms = await timeIt(async () => {
    const args = ['recover', ...benchWorkspace('bench', stateDir, socket), '--json'];
    const done = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, CI: '1', HELIOS_BENCH_RSS: '1' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout: string; stderr: string }) => error);
    rssKb = Number(/maxrss-kb (\d+)/.exec(done.stderr)?.[1] ?? 0);
    stdout = done.stdout;
  });
  const stages = stageTimes(stdout, started, started + ms);
  const config = configure({ workspace: 'bench', stateDir, tmuxSocket: socket, backend: 'tmux' });
  let unverified = 0;
  const verifyMs = await timeIt(async () => {
    unverified = (await verifyRespawns({ ...config, incarnation: 'bench' }, document.sessions))
      .size;
  });
  if (unverified > 0) throw new Error(`${unverified} of ${n} restored sessions did not verify`);
  tmux(socket, ['kill-server']);
  await settle();
  const inProcessMs = await inProcess(document, stateDir, socket);
  const bareNodeMs = await timeIt(() => run(process.execPath, ['-e', '0']));
  return { ms, verifyMs, rssKb, inProcessMs, bareNodeMs, stages };
}

/** The stages of a run recorded with `--json`: start-up (process start to DETECTING), each
 * stage's time until the next, and exit (LIVE to the process's end), in ms. */
export type StageTimes = Record<string, number>;
function stageTimes(jsonLines: string, started: number, ended: number): StageTimes {
  const changes = jsonLines
    .split('\n')
    .filter((line) => line.includes('"recovery.stage.changed"'))
    .map((line) => JSON.parse(line) as { ts: string; payload: { to: string } })
    .map((event) => ({ stage: event.payload.to, at: Date.parse(event.ts) }));
  const times: StageTimes = { 'start-up': (changes[0]?.at ?? ended) - started };
  changes.forEach((change, i) => {
    const stage = change.stage === 'LIVE' ? 'exit' : change.stage.toLowerCase();
    times[stage] = (times[stage] ?? 0) + (changes[i + 1]?.at ?? ended) - change.at;
  });
  return times;
}

/**
 * The host's path: `RestorationPipeline.restore(document)` in this process, warm (its modules
 * loaded by an earlier restore), after the server was killed: persisted as the next generation,
 * the workspace held, observed, created, verified. Returns its time; fails if any session failed.
 */
async function inProcess(document: CheckpointSpec, stateDir: string, socket: string) {
  const pipeline = new RestorationPipeline({
    workspace: 'bench',
    stateDir,
    tmuxSocket: socket,
    backend: 'tmux',
  });
  let failed = 0;
  const ms = await timeIt(async () => {
    failed = (await pipeline.restore(document)).failed.length;
  });
  if (failed > 0) throw new Error(`${failed} sessions failed in the in-process restore`);
  tmux(socket, ['kill-server']);
  await settle();
  return ms;
}

/** Loads the in-process path once (a host app's process is warm when it restores). */
async function warmUp(root: string, shape: BenchShape): Promise<void> {
  const stateDir = join(root, 'state-warm-up');
  const document = await writeBenchCheckpoint(stateDir, 'bench', 2, root, shape);
  await inProcess(document, stateDir, `helios-bench-warm-${process.pid}`);
}

export async function benchCrashToLive(
  sizes: readonly number[],
  runs: number,
  shape: BenchShape = ONE_PANE,
) {
  const root = mkdtempSync(join(tmpdir(), 'helios-bench-'));
  mkdirSync(root, { recursive: true });
  try {
    const results = [];
    await warmUp(root, shape);
    for (const n of sizes) {
      const floors: number[] = [];
      const lives: number[] = [];
      const rss: number[] = [];
      const verifies: number[] = [];
      const inProcesses: number[] = [];
      const nodes: number[] = [];
      const stages: StageTimes[] = [];
      for (let i = 0; i < runs; i += 1) {
        floors.push(await rawFloor(n, root, shape));
        const live = await crashToLive(n, root, shape);
        lives.push(live.ms);
        rss.push(live.rssKb);
        verifies.push(live.verifyMs);
        inProcesses.push(live.inProcessMs);
        nodes.push(live.bareNodeMs);
        stages.push(live.stages);
      }
      const floor = median(floors);
      const live = median(lives);
      const warm = median(inProcesses);
      const bareNode = median(nodes);
      const ratio = (ms: number) => Math.round((ms / floor) * 100) / 100;
      results.push({
        terminals: n,
        windowsPerSession: shape.windows,
        panesPerWindow: shape.panes,
        crashToLiveMs: round(live),
        rawFloorMs: round(floor),
        ratio: ratio(live),
        inProcessMs: round(warm),
        inProcessRatio: ratio(warm),
        bareNodeMs: round(bareNode),
        // The CLI's bound: a bare node start, 1.3x the floor, and 150 ms.
        cliBoundMs: round(bareNode + floor * 1.3 + 150),
        verificationMs: round(median(verifies)),
        peakRssMb: Math.round(Math.max(...rss) / 102.4) / 10,
        // Each stage's median over the runs.
        stagesMs: Object.fromEntries(
          Object.keys(stages[0] ?? {}).map((k) => [k, round(median(stages.map((t) => t[k] ?? 0)))]),
        ),
        runs,
      });
    }
    return results;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
