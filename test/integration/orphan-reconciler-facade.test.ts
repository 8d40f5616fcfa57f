import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrphanReconciler } from '../../index.js';
import { sandboxMarkers } from '../support/crash.js';
import { createProcessPool, isAlive } from '../support/processes.js';
import { createSandbox, runCli, type Sandbox } from '../support/sandbox.js';

describe('the OrphanReconciler facade (host app API), on the same engine as the CLI', () => {
  let sandbox: Sandbox;
  const pool = createProcessPool();
  beforeEach(async () => {
    sandbox = createSandbox();
    sandbox.tmux('new-session', '-d', '-s', 'helios-f1', '-c', sandbox.dir('f1'));
    await sandbox.panesReady();
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
  });
  afterEach(() => {
    pool.stopAll();
    sandbox.cleanup();
  });

  const reconciler = () =>
    new OrphanReconciler({
      workspace: sandbox.workspaceId,
      stateDir: sandbox.stateDir,
      tmuxSocket: sandbox.socket,
      backend: 'tmux',
    });

  it('scans, flags a look-alike it cannot prove ours, and never terminates it', async () => {
    // After a crash: f1's terminal is gone, and a process with its markers is left that is not
    // the PTY leader helios started (a job the user ran there, nohup-like): review, never kill.
    sandbox.tmux('kill-session', '-t', '=helios-f1:');
    const job = await pool.start(['sleep', '600'], sandboxMarkers(sandbox, 'f1'));
    const report = await reconciler().scan();
    expect(report.held).toEqual([]);
    expect(report.safeToTerminate).toEqual([]);
    expect(report.needsReview).toEqual([
      expect.objectContaining({ kind: 'flag', key: `pid:${job.pid}@${job.startTime}` }),
    ]);
    const counts = await reconciler().cleanup(report);
    expect(counts).toEqual({ terminated: 0, removed: 0, reviewPending: 1 });
    expect(await isAlive(job.pid, job.startTime)).toBe(true);
    const reviewId = (report.needsReview[0] as { reviewId: string }).reviewId;
    expect(await reconciler().dismiss(reviewId)).toMatch(/dismissed/);
    await expect(reconciler().approve(reviewId)).rejects.toThrow(/no pending review item/);
    expect(await isAlive(job.pid, job.startTime)).toBe(true);
  });
});
