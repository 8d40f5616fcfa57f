import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type HeliosV1Checkpoint,
  OrphanReconciler,
  type RecoveryEvent,
  RecoverySupervisor,
  registerProcess,
  configure,
  RestorationPipeline,
} from '../../index.js';
import { crashTmux } from '../support/crash.js';
import { createProcessPool, isAlive, STUBBORN } from '../support/processes.js';
import { createSandbox, type Sandbox, waitFor } from '../support/sandbox.js';

/*
 * The scenarios of heliosApp's own recovery suite (SC-027-001 to 005), through the library's
 * public API alone, with real tmux, real crashes (SIGKILL) and real host processes.
 */
const LIBRARY = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/bin/helios-recover.js', import.meta.url));
const run = promisify(execFile);

function hostCheckpoint(sessions: HeliosV1Checkpoint['sessions']): HeliosV1Checkpoint {
  const checksum = createHash('sha256').update(JSON.stringify(sessions)).digest('hex');
  return { version: 1, timestamp: Date.now(), checksum, sessions };
}

describe("heliosApp's recovery scenarios on the library", () => {
  let sandbox: Sandbox;
  const pool = createProcessPool();
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(() => {
    pool.stopAll();
    sandbox.cleanup();
  });
  const options = () => ({
    workspace: sandbox.workspaceId,
    stateDir: sandbox.stateDir,
    tmuxSocket: sandbox.socket,
    backend: 'tmux' as const,
  });
  const sessions = (count: number, command = '/bin/sh') =>
    Array.from({ length: count }, (_, i) => ({
      sessionId: `s${i}`,
      terminalId: `term-${i}`,
      laneId: null,
      workingDirectory: sandbox.dir(`w${i}`),
      environmentVariables: { N: String(i) },
      scrollbackSnapshot: '',
      zelijjSessionName: `helios-sc${i}`,
      shellCommand: command,
    }));
  const live = () =>
    sandbox.tmux('list-sessions', '-F', '#{session_name}').split('\n').filter(Boolean).sort();

  it('SC-027-001/002: 5 sessions, then 25, restored after a real crash, every one live', async () => {
    const pipeline = new RestorationPipeline(options());
    const five = await pipeline.restore(hostCheckpoint(sessions(5)));
    expect(five.restored).toHaveLength(5);
    expect(five.failed).toEqual([]);
    await crashTmux(sandbox);
    const again = await pipeline.restore(hostCheckpoint(sessions(25)));
    expect(again.failed).toEqual([]);
    expect(again.restored.map((s) => s.terminalId).sort()).toEqual(
      sessions(25)
        .map((s) => s.terminalId)
        .sort(),
    );
    expect(again.restored.every((s) => s.status === 'respawned' && s.multiplexer === 'tmux')).toBe(
      true,
    );
    expect(live()).toEqual(
      sessions(25)
        .map((s) => s.zelijjSessionName)
        .sort(),
    );
  });

  it('SC-027-003: a bad cwd fails alone, with its reason and a remedy as data', async () => {
    const all = sessions(3);
    all[1] = { ...all[1]!, workingDirectory: `${sandbox.root}/gone` };
    const result = await new RestorationPipeline(options()).restore(hostCheckpoint(all));
    expect(result.restored.map((s) => s.sessionId).sort()).toEqual(['s0', 's2']);
    expect(result.failed).toEqual([
      expect.objectContaining({
        sessionId: 's1',
        terminalId: 'term-1',
        reason: 'cwd_missing',
        remedy: {
          code: 'create_directory',
          path: `${sandbox.root}/gone`,
          sessionName: 'helios-sc1',
        },
      }),
    ]);
  });

  it('SC-027-004: three host crashes enter safe mode, where a restore starts shells only', async () => {
    // A host process that opens the workspace, says so, and dies by SIGKILL: a real crash.
    const crashHost = async () => {
      const code = `import { RecoverySupervisor } from ${JSON.stringify(LIBRARY)};
const s = new RecoverySupervisor(${JSON.stringify(options())});
await s.open(); process.stdout.write('open\\n'); setInterval(() => {}, 1000);`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await waitFor(() => out.includes('open'), 20_000, 'the host holds the workspace');
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    };
    for (let i = 0; i < 4; i += 1) await crashHost();
    const events: RecoveryEvent[] = [];
    const supervisor = new RecoverySupervisor({ ...options(), publish: (e) => events.push(e) });
    const opening = await supervisor.open();
    expect(opening.crashDetected).toBe(true);
    expect(opening.recentCrashes).toBeGreaterThanOrEqual(3);
    expect(opening.safeMode).toMatchObject({
      reason: expect.stringMatching(/crashes within 60 s/),
    });
    expect(events.map((e) => e.topic)).toContain('recovery.crash.detected');
    // While the host holds the workspace, no other process recovers over it.
    const cli = await run(process.execPath, [CLI, 'recover', ...sandbox.cli]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(cli).toMatchObject({ code: 1, stderr: expect.stringMatching(/is held by pid/) });

    const result = await new RestorationPipeline(options()).restore(
      hostCheckpoint(sessions(1, 'sleep 600')),
    );
    expect(result.restored).toHaveLength(1);
    const pane = sandbox
      .tmux('display', '-p', '-t', '=helios-sc0:', '#{pane_current_command}')
      .trim();
    expect(pane).not.toBe('sleep');
    expect(await supervisor.leaveSafeMode()).toBe(true);
    await supervisor.close();
    expect((await new RecoverySupervisor(options()).open()).crashDetected).toBe(false);
  }, 120_000);

  it('SC-027-005: orphans are cleaned by count, with the cleanup event', async () => {
    const worker = await pool.start(STUBBORN);
    const host = await pool.start(['sleep', '600']);
    await registerProcess(configure(options()), {
      pid: worker.pid,
      role: 'share-worker',
      shareId: 'sh1',
      hostPid: host.pid,
    });
    process.kill(host.pid, 'SIGKILL');
    await waitFor(async () => !(await isAlive(host.pid, host.startTime)), 5_000, 'host gone');
    const events: RecoveryEvent[] = [];
    const orphans = new OrphanReconciler({ ...options(), publish: (e) => events.push(e) });
    const report = await orphans.scan();
    expect(report.safeToTerminate).toHaveLength(1);
    expect(await orphans.cleanup(report)).toMatchObject({ terminated: 1, removed: 0 });
    expect(events).toEqual([
      expect.objectContaining({
        topic: 'recovery.orphans.cleaned',
        payload: expect.objectContaining({ terminated: 1 }),
      }),
    ]);
    await waitFor(
      async () => !(await isAlive(worker.pid, worker.startTime)),
      10_000,
      'worker gone',
    );
  });
});
