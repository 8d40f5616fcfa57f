import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CheckpointScheduler,
  type HeliosV1Checkpoint,
  type RecoveryEvent,
  RecoveryStageMachine,
  RecoverySupervisor,
  RefusedError,
  RestorationPipeline,
} from '../../index.js';
import {
  createSandbox,
  runCli,
  type Sandbox,
  waitFor,
  libraryOptions,
} from '../support/sandbox.js';

/*
 * The library pieces a host drops its own module for: the persisted stage machine (resume),
 * restore() holding the workspace, and the checkpoint scheduler. Real tmux, a real second
 * process holding the lock.
 */
const LIBRARY = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

describe('the host pieces on real tmux', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(() => sandbox.cleanup());
  const options = () => libraryOptions(sandbox);
  const hostCheckpoint = (count: number): HeliosV1Checkpoint => {
    const sessions = Array.from({ length: count }, (_, i) => ({
      sessionId: `s${i}`,
      terminalId: `term-${i}`,
      laneId: null,
      workingDirectory: sandbox.dir(`w${i}`),
      environmentVariables: {},
      scrollbackSnapshot: '',
      zelijjSessionName: `helios-p${i}`,
      shellCommand: '/bin/sh',
    }));
    const checksum = createHash('sha256').update(JSON.stringify(sessions)).digest('hex');
    return { version: 1, timestamp: Date.now(), checksum, sessions };
  };

  it('persists each stage, refuses a move it has not, and resumes an interrupted run with its incarnation', async () => {
    const events: RecoveryEvent[] = [];
    const machine = new RecoveryStageMachine({ ...options(), publish: (e) => events.push(e) });
    expect(await machine.open()).toEqual({
      stage: null,
      attempt: 0,
      incarnation: '',
      interruptedAt: null,
    });
    await expect(machine.transition('LIVE')).rejects.toBeInstanceOf(RefusedError);
    await machine.transition('INVENTORYING');
    const { incarnation } = await machine.transition('RESTORING');
    await expect(machine.transition('INVENTORYING_FAILED')).rejects.toThrow(
      /RESTORING cannot move to INVENTORYING_FAILED/,
    );
    expect(events.map((e) => e.topic === 'recovery.stage.changed' && e.payload)).toEqual([
      { from: null, to: 'INVENTORYING', attempt: 1 },
      { from: 'INVENTORYING', to: 'RESTORING', attempt: 1 },
    ]);

    // The host dies here. The next one finds the run interrupted at RESTORING.
    const next = new RecoveryStageMachine(options());
    expect(await next.open()).toMatchObject({ stage: 'RESTORING', interruptedAt: 'RESTORING' });
    expect(await next.transition('RESTORING')).toMatchObject({ attempt: 2, incarnation });
    // restore() resumes it too: the sessions it makes are bound to the same incarnation.
    const restoring = new RestorationPipeline(options());
    const result = await restoring.restore(hostCheckpoint(1));
    expect(result.restored).toHaveLength(1);
    const bound = sandbox.tmux('show-options', '-v', '-t', '=helios-p0:', '@helios-incarnation');
    expect(bound.trim()).toBe(incarnation);
    const status = await runCli(['status', '--json', ...sandbox.cli]);
    expect(JSON.parse(status.out)).toMatchObject({ stage: 'LIVE' });
  });

  it('restore() refuses while another process holds the workspace, and runs under the host supervisor', async () => {
    const code = `import { RecoverySupervisor } from ${JSON.stringify(LIBRARY)};
await new RecoverySupervisor(${JSON.stringify(options())}).open();
process.stdout.write('open\\n'); setInterval(() => {}, 1000);`;
    const other = spawn(process.execPath, ['--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    other.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      await waitFor(() => out.includes('open'), 20_000, 'the other host holds the workspace');
      await expect(new RestorationPipeline(options()).restore(hostCheckpoint(1))).rejects.toThrow(
        new RegExp(`workspace ${sandbox.workspaceId} is held by pid ${other.pid}`),
      );
      expect(() => sandbox.tmux('has-session', '-t', '=helios-p0:')).toThrow(); // nothing made
    } finally {
      const gone = new Promise((resolve) => other.once('exit', resolve));
      other.kill('SIGTERM');
      await gone;
    }
    const supervisor = new RecoverySupervisor(options());
    expect((await supervisor.open()).crashDetected).toBe(true); // the other host died holding it
    const lock = () => JSON.parse(readFileSync(join(sandbox.stateDir, 'helios.lock'), 'utf8'));
    const held = lock();
    const result = await new RestorationPipeline(options()).restore(hostCheckpoint(2));
    expect(result.restored).toHaveLength(2);
    expect(lock()).toMatchObject({ pid: held.pid, startTime: held.startTime }); // still the host's
    await supervisor.close();
    expect(existsSync(join(sandbox.stateDir, 'helios.lock'))).toBe(false);
  }, 60_000);

  it('the scheduler saves after changes (one save for a burst), writes nothing unchanged, and announces each save', async () => {
    await sandbox.startSessions(['alpha']);
    const events: RecoveryEvent[] = [];
    const scheduler = new CheckpointScheduler({
      ...options(),
      intervalMs: 0,
      debounceMs: 50,
      publish: (e) => events.push(e),
    });
    try {
      expect(await scheduler.saveNow()).toMatchObject({ status: 'written', generation: 0 });
      expect(await scheduler.saveNow()).toMatchObject({ status: 'unchanged', generation: 0 });
      await sandbox.startSessions(['beta']);
      for (let i = 0; i < 5; i += 1) scheduler.changed();
      await waitFor(() => events.length === 3, 10_000, 'the debounced save');
      expect(events.map((e) => e.topic === 'recovery.checkpoint.saved' && e.payload)).toEqual([
        { status: 'written', generation: 0, sessions: 1 },
        { status: 'unchanged', generation: 0, sessions: null },
        { status: 'written', generation: 1, sessions: 2 },
      ]);
    } finally {
      await scheduler.stop();
    }
  });
});
