import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcessWithEnv } from '../support/daemon.js';
import { createSandbox, runCli, type Sandbox } from '../support/sandbox.js';

/** Starts `n` recovers at once; each pauses 1.5 s in INVENTORYING while holding the lock. */
async function recoverTogether(sandbox: Sandbox, n: number) {
  return Promise.all(
    Array.from({ length: n }, () =>
      runCliProcessWithEnv(['recover', '--no-wait', ...sandbox.cli], {
        HELIOS_TEST_PAUSE_AT: 'INVENTORYING:1500',
      }),
    ),
  );
}

describe('the workspace lock is exclusive', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-l1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
  });
  afterEach(() => sandbox.cleanup());

  for (const start of ['free', 'stale'] as const) {
    it(`lets exactly one of many recovers started together proceed (lock ${start})`, async () => {
      if (start === 'stale')
        writeFileSync(
          join(sandbox.stateDir, 'helios.lock'),
          JSON.stringify({
            pid: 999_999,
            startTime: 1,
            heartbeatAt: new Date(0).toISOString(),
            command: 'dead',
          }),
        );
      const runs = await recoverTogether(sandbox, 6);
      const proceeded = runs.filter((run) => run.code !== 1);
      expect(proceeded, runs.map((run) => run.out).join('\n---\n')).toHaveLength(1);
      for (const run of runs.filter((r) => r.code === 1))
        expect(run.out).toMatch(/is held by pid \d+/);
    });
  }
});
