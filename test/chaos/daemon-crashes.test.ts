import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DaemonProcess, runCliProcess, startRun } from '../support/daemon.js';
import { createSandbox, runCli, type Sandbox, sleep } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

const ROUNDS = [1, 2, 3, 4, 5];

describe('chaos: the daemon crashes and comes back', () => {
  let sandbox: Sandbox;
  let daemons: DaemonProcess[];
  const start = (env: Record<string, string> = {}) => {
    const daemon = startRun(sandbox, env);
    daemons.push(daemon);
    return daemon;
  };
  const status = async () => JSON.parse((await runCli(['status', '--json', ...sandbox.cli])).out);

  beforeEach(async () => {
    daemons = [];
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-c1', 'helios-c2', 'helios-c3']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
  });
  afterEach(async () => {
    for (const daemon of daemons) daemon.child.kill('SIGKILL');
    await Promise.all(daemons.map((daemon) => daemon.exited));
    sandbox.cleanup();
  });

  it.each(ROUNDS)(
    'SIGKILL, restart: crash detected, every session alive, LIVE (round %i)',
    async () => {
      const first = start();
      await first.waitFor('LIVE:');
      first.child.kill('SIGKILL');
      await first.exited;
      sandbox.tmux('kill-session', '-t', '=helios-c2:'); // the crash also took a session with it
      const second = start();
      await second.waitFor('LIVE:');
      expect(second.output()).toContain('Crash detected: lock holder pid');
      expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual([
        'helios-c1',
        'helios-c2',
        'helios-c3',
      ]);
      expect(await status()).toMatchObject({
        stage: 'LIVE',
        crashesRecorded: 1,
        lock: { state: 'held' },
      });
    },
  );

  it.each(ROUNDS)(
    'SIGKILL during RESTORING: resumes there, no duplicate session (round %i)',
    async () => {
      sandbox.tmux('kill-server');
      const first = start({ HELIOS_TEST_PAUSE_AT: 'RESTORING' });
      await first.waitFor('paused at RESTORING');
      first.child.kill('SIGKILL');
      await first.exited;
      const second = start();
      await second.waitFor('LIVE:');
      const audit = readFileSync(join(sandbox.stateDir, 'audit.jsonl'), 'utf8');
      expect(audit).toContain('"reason":"resuming interrupted recovery at RESTORING"');
      expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual([
        'helios-c1',
        'helios-c2',
        'helios-c3',
      ]);
      await sleep(1_000); // a few loop passes later: still exactly these sessions
      expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual([
        'helios-c1',
        'helios-c2',
        'helios-c3',
      ]);
    },
  );

  it.each(ROUNDS)(
    'SIGTERM during recovery: stops cleanly, answers waiting requests, leaves no lock (round %i)',
    async () => {
      const daemon = start({ HELIOS_TEST_PAUSE_AT: 'RESTORING:2000' });
      await daemon.waitFor('pausing 2000 ms at RESTORING');
      const opened = runCliProcess(['session', 'open', '--cwd', sandbox.root, ...sandbox.cli]);
      await sleep(300);
      daemon.child.kill('SIGTERM');
      expect(await daemon.exited).toBe(0);
      const reply = await opened;
      expect(reply.code).toBe(1);
      expect(reply.out).toMatch(/helios-recover: (the daemon is stopping|no daemon is serving)/);
      expect(existsSync(join(sandbox.stateDir, 'helios.lock'))).toBe(false);
      const next = start();
      await next.waitFor('LIVE:');
      expect(next.output()).not.toContain('Crash detected');
    },
  );

  it.each(ROUNDS)(
    'three crashes within 60 s enter safe mode within 5 s of the third start (round %i)',
    async () => {
      for (let crash = 1; crash <= 3; crash += 1) {
        const daemon = start();
        await daemon.waitFor('LIVE:');
        daemon.child.kill('SIGKILL');
        await daemon.exited;
      }
      const started = Date.now();
      const fourth = start();
      await fourth.waitFor('SAFE MODE', 5_000);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await status()).toMatchObject({ crashesRecorded: 3, safeMode: { crashes: 3 } });
      expect((await runCli(['safe-mode', 'exit', ...sandbox.cli])).out).toContain(
        'Safe mode exited',
      );
      expect((await status()).safeMode).toBeNull();
    },
  );

  it.each(ROUNDS)(
    'applies a session open sent during recovery after LIVE, and shuts down cleanly on SIGTERM (round %i)',
    async () => {
      const daemon = start({ HELIOS_TEST_PAUSE_AT: 'RESTORING:1500' });
      await daemon.waitFor('pausing 1500 ms at RESTORING');
      const opened = runCliProcess([
        'session',
        'open',
        '--cwd',
        sandbox.dir('new'),
        '--env',
        'ROLE=late',
        ...sandbox.cli,
      ]);
      await daemon.waitFor('LIVE:');
      const liveAt = Date.now();
      const result = await opened;
      expect(result.code, result.out).toBe(0);
      expect(result.finishedAt).toBeGreaterThanOrEqual(liveAt - 50);
      const id = /id (s-[0-9a-f]+)/.exec(result.out)![1]!;
      const session = tmuxSessions(sandbox).find((s) => s.name === `helios-${id}`)!;
      expect(session.cwd).toBe(join(sandbox.root, 'new'));
      expect(session.env.ROLE).toBe('late');

      const closed = await runCliProcess(['session', 'close', id, ...sandbox.cli]);
      expect(closed.out).toContain('it will not be restored');
      await sleep(1_000);
      expect(tmuxSessions(sandbox).map((s) => s.name)).not.toContain(`helios-${id}`);

      const stopping = Date.now();
      daemon.child.kill('SIGTERM');
      expect(await daemon.exited).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(5_000);
      expect(existsSync(join(sandbox.stateDir, 'helios.lock'))).toBe(false);
      const next = start();
      await next.waitFor('LIVE:');
      expect(next.output()).not.toContain('Crash detected');
      expect((await status()).crashesRecorded).toBe(0);
    },
  );
});
