import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchWorkspace, CLI, tmux, writeBenchCheckpoint } from './measure.js';
import { DAEMON_NODE_FLAGS } from '../specs/systemd-unit.js';

/** utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU used by an idle `helios-recover run` (10 sessions, default 5 s loop) over `seconds`. */
export async function benchIdle(seconds: number) {
  const root = mkdtempSync(join(tmpdir(), 'helios-bench-idle-'));
  const socket = `helios-bench-idle-${process.pid}`;
  await writeBenchCheckpoint(join(root, 'state'), 'bench-idle', 10, root);
  const child = spawn(
    process.execPath,
    [
      ...DAEMON_NODE_FLAGS,
      CLI,
      'run',
      ...benchWorkspace('bench-idle', join(root, 'state'), socket),
    ],
    { stdio: 'ignore' },
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // recovered and settled
    const ticksPerSecond =
      Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const before = cpuTicks(child.pid!);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const used = (cpuTicks(child.pid!) - before) / ticksPerSecond;
    return {
      seconds,
      cpuSeconds: Math.round(used * 1000) / 1000,
      cpuPercent: Math.round((used / seconds) * 1000) / 10,
      sessions: 10,
      intervalMs: 5000,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    tmux(socket, ['kill-server']);
    rmSync(root, { recursive: true, force: true });
  }
}
