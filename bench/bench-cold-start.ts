import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, median, round } from './measure.js';

/**
 * CLI process start to the first banner line of `recover` (before any observer returns). It
 * settles once the CLI has exited, so nothing writes into the state dir after the bench removes it.
 */
function firstLine(stateDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let measured: number | null = null;
    const child = spawn(
      process.execPath,
      [
        CLI,
        'recover',
        '-w',
        'bench',
        '--state-dir',
        stateDir,
        '-L',
        `helios-bench-cold-${process.pid}`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, CI: '1' } },
    );
    child.stdout.once('data', () => {
      measured = Number(process.hrtime.bigint() - started) / 1e6;
      child.stdout.resume();
    });
    child.once('exit', () =>
      measured === null ? reject(new Error('recover printed nothing')) : resolve(measured),
    );
    child.once('error', reject);
  });
}

/** A bare `node -e 0`, start to exit: what any Node CLI pays before its first line of code. */
function bareNode(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.once('exit', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
    child.once('error', reject);
  });
}

/**
 * CLI start to first banner line, and a bare `node -e 0` in the same run, alternated so both
 * see the same machine load; the target (docs/PERFORMANCE.md) is the difference.
 */
export async function benchColdStart(runs: number) {
  const stateDir = mkdtempSync(join(tmpdir(), 'helios-bench-cold-'));
  try {
    const times: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      bare.push(await bareNode());
      times.push(await firstLine(stateDir));
    }
    const medianMs = round(median(times));
    const bareNodeMs = round(median(bare));
    return { medianMs, bareNodeMs, aboveNodeMs: round(medianMs - bareNodeMs), runs };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}
