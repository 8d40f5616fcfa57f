import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchColdStart } from './bench-cold-start.js';
import { benchIdle } from './bench-idle.js';
import { benchCrashToLive } from './bench-crash-to-live.js';
import { benchCleanup, benchOrphanScan } from './bench-orphans.js';
import { benchPlan } from './bench-plan.js';

/** `npm run bench`: measures the PRODUCT.md section 8 targets and writes a JSON report. */
const runs = Number(process.env.BENCH_RUNS ?? 3);
const log = (text: string) => process.stderr.write(`${text}\n`);

log(`helios-recover bench (${cpus().length} cores, ${runs} runs per figure)`);
log('crash-to-live on tmux ...');
const crashToLive = await benchCrashToLive([25, 100, 250], runs);
log('plan for 10,000 sessions ...');
const plan = await benchPlan(10_000, Math.max(5, runs));
log('orphan scan with 500 processes ...');
const orphanScan = await benchOrphanScan(500, runs);
log('cleanup of 100 owned orphans ...');
const cleanup = await benchCleanup(100);
log('CLI cold start ...');
const coldStart = await benchColdStart(Math.max(5, runs));
log('idle daemon CPU over 30 s ...');
const idle = await benchIdle(30);

const targets = [
  ...crashToLive.map((r) => {
    const limit = { 25: 1000, 100: 2500, 250: 6000 }[r.terminals as 25 | 100 | 250];
    return {
      name: `crash-to-live ${r.terminals}`,
      value: r.crashToLiveMs,
      target: `< ${limit} ms and <= 1.3x floor (${r.rawFloorMs} ms; verification ${r.verificationMs} ms of it)`,
      met: r.crashToLiveMs < limit && r.ratio <= 1.3,
    };
  }),
  {
    name: 'plan 10,000 sessions',
    value: plan.medianMs,
    target: '< 100 ms',
    met: plan.medianMs < 100,
  },
  {
    name: 'orphan scan, 500 processes',
    value: orphanScan.medianMs,
    target: '< 200 ms',
    met: orphanScan.medianMs < 200,
  },
  {
    name: 'cleanup 100 owned orphans',
    value: cleanup.ms,
    target: '< 5000 ms',
    met: cleanup.ms < 5000 && cleanup.terminated === 100,
  },
  {
    name: 'CLI cold start to first banner line, above a bare node -e 0',
    value: coldStart.aboveNodeMs,
    target: `< 150 ms (${coldStart.medianMs} ms, bare node ${coldStart.bareNodeMs} ms)`,
    met: coldStart.aboveNodeMs < 150,
  },
  {
    name: 'idle daemon CPU (%)',
    value: idle.cpuPercent,
    target: '< 2 % (negligible)',
    met: idle.cpuPercent < 2,
  },
  ...crashToLive.map((r) => ({
    name: `peak RSS ${r.terminals} terminals (MB)`,
    value: r.peakRssMb,
    target: '< 100 MB',
    met: r.peakRssMb < 100,
  })),
];
const report = {
  date: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  runs,
  crashToLive,
  plan,
  orphanScan,
  cleanup,
  coldStart,
  idle,
  targets,
};
const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = join(dir, `bench-${report.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
for (const t of targets)
  log(`${t.met ? 'MET ' : 'MISS'}  ${t.name}: ${t.value}  (target ${t.target})`);
log(`report: ${file}`);
process.stdout.write(`${JSON.stringify(report)}\n`);
