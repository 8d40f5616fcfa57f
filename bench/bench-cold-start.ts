import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, round } from './measure.js';

const CLI = fileURLToPath(new URL('../bin/helios-recover.js', import.meta.url));

/** CLI process start to the first banner line of `recover` (before any observer returns). */
function firstLine(stateDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
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
    child.stdout.once('data', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
    child.once('error', reject);
  });
}

export async function benchColdStart(runs: number) {
  const stateDir = mkdtempSync(join(tmpdir(), 'helios-bench-cold-'));
  try {
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) times.push(await firstLine(stateDir));
    return { medianMs: round(median(times)), runs };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}
