/**
 * The `helios-recover run` daemon's footprint. Targets served (docs/PERFORMANCE.md): the daemon's
 * RSS stays under 60 MB and flat over a 30-minute open/close churn with 10 sessions and a 200 ms
 * reconcile loop (the daemon started as its service unit starts it, with DAEMON_NODE_FLAGS); a `session open` round trip (CLI process start to exit, through the running
 * daemon's control socket) costs under 50 ms above the client's own start (a `session --help`
 * run: the same CLI, its arguments parsed, the daemon never contacted).
 *
 * RSS is VmRSS of the daemon process (/proc/PID/status), sampled every 5 s (more often for a
 * short churn: 30 samples at least); the peak is VmHWM, the process's lifetime high-water mark
 * (recovery included). opens / closes / failures count the churn and the round trips.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  benchWorkspace,
  CLI,
  median,
  round,
  timeIt,
  tmux,
  writeBenchCheckpoint,
} from './measure.js';
import { DAEMON_NODE_FLAGS } from '../specs/systemd-unit.js';

const run = promisify(execFile);
const WORKSPACE = 'bench-daemon';
const READY_TIMEOUT_MS = 60_000;
const until = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A /proc/PID/status field in MB (VmRSS, VmHWM). */
function procMb(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
}

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
}

export async function benchDaemon(options: {
  sessions: number;
  loopMs: number;
  churnSeconds: number;
  roundTrips: number;
}) {
  const { sessions, loopMs, churnSeconds, roundTrips } = options;
  const root = mkdtempSync(join(tmpdir(), 'helios-bench-daemon-'));
  const home = join(root, 'home');
  const stateDir = join(root, 'state');
  mkdirSync(home);
  const socket = `helios-bench-daemon-${process.pid}`;
  // Never the caller's rc files: an empty HOME, /bin/sh, no tmux config, no sh $ENV.
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, SHELL: '/bin/sh', CI: '1' };
  for (const name of ['XDG_CONFIG_HOME', 'TMUX', 'TMUX_PANE', 'ENV', 'BASH_ENV']) delete env[name];
  const workspace = benchWorkspace(WORKSPACE, stateDir, socket);
  const cli = (...args: string[]) => run(process.execPath, [CLI, ...args], { env });
  await writeBenchCheckpoint(stateDir, WORKSPACE, sessions, root);
  // Started as its service unit starts it (node's flags from the unit).
  const argv = [...DAEMON_NODE_FLAGS, CLI, 'run', ...workspace, '--interval', String(loopMs)];
  const daemon = spawn(process.execPath, argv, {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let daemonErr = '';
  daemon.stderr!.setEncoding('utf8');
  daemon.stderr!.on('data', (chunk: string) => (daemonErr = (daemonErr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  const alive = () => daemon.exitCode === null && daemon.signalCode === null;
  const dead = () =>
    new Error(`the daemon exited (${daemon.exitCode ?? daemon.signalCode}): ${daemonErr}`);
  let opens = 0;
  let closes = 0;
  let failures = 0;
  const problems: string[] = [];
  const failed = (what: string, error: unknown) => {
    failures += 1;
    const e = error as { stderr?: string; message?: string };
    if (problems.length < 5)
      problems.push(`${what}: ${(e.stderr || e.message || String(error)).trim()}`);
  };
  /** `session open --json`: its session id, or null (counted as a failure). */
  const open = async (): Promise<string | null> => {
    try {
      const { stdout } = await cli('session', 'open', '--cwd', root, ...workspace, '--json');
      const id = (JSON.parse(stdout) as { sessionId?: unknown }).sessionId;
      if (typeof id !== 'string') throw new Error(`no session id in ${stdout}`);
      opens += 1;
      return id;
    } catch (error) {
      failed('session open', error);
      return null;
    }
  };
  const close = async (id: string) => {
    try {
      await cli('session', 'close', id, ...workspace);
      closes += 1;
    } catch (error) {
      failed(`session close ${id}`, error);
    }
  };
  try {
    // Ready: `session list` answers (requests wait for LIVE) and every checkpointed session runs.
    const deadline = Date.now() + READY_TIMEOUT_MS;
    const names = Array.from({ length: sessions }, (_, i) => `helios-s${i}`);
    for (;;) {
      if (!alive()) throw dead();
      const listed = await cli('session', 'list', ...workspace, '--json').then(
        () => true,
        () => false,
      );
      const running = await run('tmux', ['-L', socket, 'list-sessions', '-F', '#{session_name}'], {
        env,
      }).then(
        ({ stdout }) => new Set(stdout.split('\n')),
        () => new Set<string>(),
      );
      if (listed && names.every((name) => running.has(name))) break;
      if (Date.now() > deadline)
        throw new Error(`daemon not ready within ${READY_TIMEOUT_MS / 1000} s: ${daemonErr}`);
      await until(100);
    }
    const pid = daemon.pid!;
    const rssSamples: { atS: number; mb: number }[] = [];
    const started = Date.now();
    const sample = () => {
      if (alive())
        rssSamples.push({
          atS: round((Date.now() - started) / 1000),
          mb: round(procMb(pid, 'VmRSS')),
        });
    };
    sample();
    const sampler = setInterval(sample, Math.min(5000, (churnSeconds * 1000) / 30));
    try {
      while (Date.now() - started < churnSeconds * 1000) {
        if (!alive()) throw dead();
        const id = await open();
        if (id !== null) await close(id);
      }
    } finally {
      clearInterval(sampler);
    }
    sample();
    const clientTimes: number[] = [];
    const openTimes: number[] = [];
    for (let i = 0; i < roundTrips; i += 1) {
      clientTimes.push(await timeIt(() => cli('session', '--help')));
      let id = null as string | null;
      const ms = await timeIt(async () => (id = await open()));
      if (id === null) continue;
      openTimes.push(ms);
      await close(id);
    }
    const rssPeakMb = round(Math.max(procMb(pid, 'VmHWM'), ...rssSamples.map((s) => s.mb)));
    for (const problem of problems) process.stderr.write(`bench-daemon: ${problem}\n`);
    // Growth over the second half of the churn (the first half holds warm-up: JIT, caches).
    const secondHalf = rssSamples.filter((s) => s.atS >= churnSeconds / 2);
    const perSecond = slope(secondHalf.map((s) => ({ x: s.atS, y: s.mb })));
    const halfSpan = secondHalf.length > 1 ? secondHalf.at(-1)!.mb - secondHalf[0]!.mb : 0;
    // Flat = growth within noise: the second half ends less than 5 MB above where it began,
    // and its slope, carried over the whole churn, adds less than 5 MB.
    const flat = halfSpan < 5 && perSecond * churnSeconds < 5;
    const openRoundTripMs = round(openTimes.length ? median(openTimes) : NaN);
    const clientStartMs = round(median(clientTimes));
    return {
      sessions,
      loopMs,
      churnSeconds,
      rssStartMb: rssSamples[0]!.mb,
      rssEndMb: rssSamples.at(-1)!.mb,
      rssPeakMb,
      rssSamples,
      growthMbPerHour: round(perSecond * 3600),
      flat,
      opens,
      closes,
      failures,
      openRoundTripMs,
      clientStartMs,
      openAboveClientMs: round(openRoundTripMs - clientStartMs),
    };
  } finally {
    if (alive()) {
      daemon.kill('SIGTERM');
      const killer = setTimeout(() => daemon.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    }
    tmux(socket, ['kill-server']);
    for (let i = 0; i < 100; i += 1) {
      const gone = await run('tmux', ['-L', socket, 'list-sessions'], { env }).then(
        () => false,
        () => true,
      );
      if (gone) {
        // tmux 3.3 leaves its socket file behind after kill-server: remove ours.
        const dir = join(env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`);
        rmSync(join(dir, socket), { force: true });
        break;
      }
      await until(100);
    }
    rmSync(root, { recursive: true, force: true });
  }
}

/** The daemon's targets, as the bench reports them. */
export function daemonTargets(daemon: Awaited<ReturnType<typeof benchDaemon>>) {
  return [
    {
      name: `daemon RSS over a ${daemon.churnSeconds} s session open/close churn (MB, peak)`,
      value: daemon.rssPeakMb,
      target: `< 60 MB and flat (start ${daemon.rssStartMb}, end ${daemon.rssEndMb}, ${daemon.growthMbPerHour} MB/h over the second half; ${daemon.opens} opens, ${daemon.failures} failures)`,
      met: daemon.rssPeakMb < 60 && daemon.flat,
    },
    {
      name: 'session open round trip through the daemon, above the client own start',
      value: daemon.openAboveClientMs,
      target: `< 50 ms (open ${daemon.openRoundTripMs} ms, client start ${daemon.clientStartMs} ms)`,
      met: daemon.openAboveClientMs < 50,
    },
  ];
}
