import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PAUSED_CLI } from '../support/daemon.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readProcess } from '../../clients/proc-table.js';
import { createSandbox, jsonLines, runCli, type Sandbox, waitFor } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

/** Starts `recover` as a real process that pauses at `stage`, then SIGKILLs it there. */
async function crashRecoverAt(sandbox: Sandbox, stage: string): Promise<void> {
  const child = spawn(process.execPath, [PAUSED_CLI, 'recover', ...sandbox.cli], {
    env: { ...process.env, HELIOS_TEST_PAUSE_AT: stage },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(() => stderr.includes(`paused at ${stage}`), 10_000, `pause at ${stage}`);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('one-shot recover: crash mid-recovery and the workspace lock', () => {
  let sandbox: Sandbox;
  let holder: ChildProcess | undefined;
  beforeEach(async () => {
    sandbox = createSandbox();
    for (const name of ['helios-r1', 'helios-r2'])
      sandbox.tmux('new-session', '-d', '-s', name, '-c', sandbox.dir(name));
    await sandbox.panesReady();
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    sandbox.tmux('kill-server');
  });
  afterEach(() => {
    holder?.kill('SIGKILL');
    sandbox.cleanup();
  });

  it('resumes at RECONCILING after a crash there and restores nothing twice', async () => {
    await crashRecoverAt(sandbox, 'RECONCILING');
    const restoredOnce = tmuxSessions(sandbox);
    expect(restoredOnce.map((s) => s.name)).toEqual(['helios-r1', 'helios-r2']);
    const state = JSON.parse(readFileSync(join(sandbox.stateDir, 'recovery-state.json'), 'utf8'));
    expect(state.stage).toBe('RECONCILING');

    const result = await runCli(['recover', '--json', ...sandbox.cli]);
    expect(result.code, result.err).toBe(0);
    const events = jsonLines(result.out);
    expect(events.find((e) => e.topic === 'recovery.crash.detected')).toBeDefined();
    const stages = events
      .filter((e) => e.topic === 'recovery.stage.changed')
      .map((e) => (e.payload as { to: string }).to);
    expect(stages).toEqual(['DETECTING', 'RECONCILING', 'LIVE']);
    expect(events.filter((e) => e.topic === 'recovery.session.restored')).toEqual([]);
    expect(tmuxSessions(sandbox).map((s) => s.panePid)).toEqual(restoredOnce.map((s) => s.panePid));
    const report = events.at(-1) as { sessions: { status: string }[] };
    expect(report.sessions.map((s) => s.status)).toEqual(['respawned', 'respawned']);
  });

  it('resumes at RESTORING after a crash there', async () => {
    await crashRecoverAt(sandbox, 'RESTORING');
    expect(tmuxSessions(sandbox)).toEqual([]);
    const result = await runCli(['recover', '--json', ...sandbox.cli]);
    expect(result.code, result.err).toBe(0);
    const stages = jsonLines(result.out).filter((e) => e.topic === 'recovery.stage.changed');
    expect(stages[1]!.payload).toMatchObject({
      to: 'RESTORING',
      reason: 'resuming interrupted recovery at RESTORING',
    });
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(['helios-r1', 'helios-r2']);
    const status = JSON.parse((await runCli(['status', '--json', ...sandbox.cli])).out);
    expect(status).toMatchObject({ stage: 'LIVE', crashesRecorded: 1, lock: { state: 'free' } });
  });

  it('refuses to run while another live process holds the workspace', async () => {
    holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    await waitFor(async () => (await readProcess(holder!.pid!)) !== null);
    const info = (await readProcess(holder.pid!))!;
    writeFileSync(
      join(sandbox.stateDir, 'helios.lock'),
      JSON.stringify({
        pid: info.pid,
        startTime: info.startTime,
        heartbeatAt: new Date().toISOString(),
        command: 'helios-recover run',
      }),
    );
    const result = await runCli(['recover', ...sandbox.cli]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(`is held by pid ${info.pid} (helios-recover run)`);
    expect(tmuxSessions(sandbox)).toEqual([]);
  });

  it('records a crash when the lock holder is gone (or its pid was reused)', async () => {
    writeFileSync(
      join(sandbox.stateDir, 'helios.lock'),
      JSON.stringify({
        pid: process.pid,
        startTime: 1,
        heartbeatAt: new Date().toISOString(),
        command: 'old run',
      }),
    );
    const result = await runCli(['recover', '--json', ...sandbox.cli]);
    const crash = jsonLines(result.out).find((e) => e.topic === 'recovery.crash.detected');
    expect(crash?.payload).toMatchObject({
      reason: `pid ${process.pid} was reused by another process`,
    });
    expect(
      JSON.parse(readFileSync(join(sandbox.stateDir, 'last-crash.json'), 'utf8')).previousPid,
    ).toBe(process.pid);
  });
});
