import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DaemonProcess, startRun } from '../support/daemon.js';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';

const ROUNDS = Array.from({ length: 10 }, (_, i) => i + 1);
const TOGETHER = 3;

describe('chaos: several `run` daemons started together on one state dir', () => {
  let sandbox: Sandbox;
  let daemons: DaemonProcess[] = [];
  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-d1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
  });
  afterEach(async () => {
    for (const daemon of daemons) daemon.child.kill('SIGKILL');
    await Promise.all(daemons.map((daemon) => daemon.exited));
    daemons = [];
    sandbox.cleanup();
  });

  it.each(ROUNDS)(
    'exactly one holds the lock and serves its control socket (round %i)',
    async () => {
      daemons = Array.from({ length: TOGETHER }, () => startRun(sandbox));
      const exits = new Map<DaemonProcess, number | string>();
      for (const daemon of daemons) void daemon.exited.then((code) => exits.set(daemon, code));
      const describe = () =>
        daemons.map((d) => `pid ${d.child.pid}: ${exits.get(d) ?? 'running'}\n${d.output()}`);
      // Every loser gives up (exit 1); the one left running reaches LIVE.
      await waitFor(
        () =>
          exits.size === TOGETHER - 1 &&
          daemons.some((d) => !exits.has(d) && d.output().includes('LIVE:')),
        20_000,
        `one survivor LIVE, the rest exited:\n${describe().join('\n---\n')}`,
      );
      expect([...exits.values()], describe().join('\n---\n')).toEqual(
        Array.from({ length: TOGETHER - 1 }, () => 1),
      );
      const survivor = daemons.find((d) => !exits.has(d))!;
      const lock = JSON.parse(readFileSync(join(sandbox.stateDir, 'helios.lock'), 'utf8'));
      expect(lock.pid).toBe(survivor.child.pid);

      const listed = await runCli(['session', 'list', ...sandbox.cli]);
      expect(listed.code, `${listed.err}\n${describe().join('\n---\n')}`).toBe(0);
      expect(listed.out).toContain('helios-d1');

      survivor.child.kill('SIGTERM');
      expect(await survivor.exited, survivor.output()).toBe(0);
      expect(existsSync(join(sandbox.stateDir, 'control.sock'))).toBe(false);
      expect(existsSync(join(sandbox.stateDir, 'helios.lock'))).toBe(false);
    },
    40_000,
  );
});
