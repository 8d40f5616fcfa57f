import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executeTerminates } from '../../actions/execute-cleanup.js';
import { configure } from '../../controllers/compose.js';
import { registerInSandbox, sandboxMarkers } from '../support/crash.js';
import {
  argvOf,
  createProcessPool,
  descendantsOf,
  isAlive,
  STUBBORN,
} from '../support/processes.js';
import { createSandbox, gitIn, runCli, type Sandbox, waitFor } from '../support/sandbox.js';

describe('orphans: prove ownership, terminate only what is ours, flag the rest', () => {
  let sandbox: Sandbox;
  const pool = createProcessPool();
  const marker = (ws: string, role: string, extra: Record<string, string> = {}) => ({
    HELIOS_WORKSPACE_ID: ws,
    HELIOS_ROLE: role,
    ...extra,
  });

  beforeEach(async () => {
    sandbox = createSandbox();
    sandbox.tmux('new-session', '-d', '-s', 'helios-o1', '-c', sandbox.dir('o1'));
    await sandbox.panesReady();
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
  });
  afterEach(() => {
    pool.stopAll();
    sandbox.cleanup();
  });

  it('terminates owned orphans, even stubborn ones, and leaves unmarked and foreign look-alikes alone', async () => {
    // helios-o2 was checkpointed with a stubborn shell, then its terminal went away: what is
    // left is its PTY leader (a session leader with our markers), as after a crash.
    sandbox.tmux('new-session', '-d', '-s', 'helios-o2', '-c', sandbox.dir('o2'), ...STUBBORN);
    await sandbox.panesReady();
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    process.kill(
      Number(sandbox.tmux('display', '-p', '-t', '=helios-o2:', '#{pane_pid}')),
      'SIGKILL',
    );
    await waitFor(() => !sandbox.tmux('ls', '-F', '#S').includes('helios-o2'), 5_000, 'o2 gone');
    // Each group also holds a `sleep 600` for all of the test (the loop's `sleep 1` comes and goes).
    const GROUPED = ['sh', '-c', 'trap "" HUP TERM; sleep 600 & while :; do sleep 1; done'];
    const shell = await pool.start(GROUPED, sandboxMarkers(sandbox, 'o2'));
    const worker = await pool.start(GROUPED, {
      ...sandboxMarkers(sandbox, 'o2'),
      HELIOS_ROLE: 'share-worker',
      HELIOS_SHARE_ID: 'sh9',
    });
    const sleeping = (pid: number) =>
      [...descendantsOf([pid])].some((child) => argvOf(child).join(' ') === 'sleep 600');
    await waitFor(() => sleeping(shell.pid) && sleeping(worker.pid), 5_000, 'their sleep 600');
    // What makes them ours is the ledger (the launcher or the host app records what it starts).
    await registerInSandbox(sandbox, { pid: shell.pid, role: 'shell', sessionId: 'o2' });
    // The worker's host (the app that registered it) has crashed: the worker is an orphan.
    const host = await pool.start(['sleep', '600']);
    await registerInSandbox(sandbox, {
      pid: worker.pid,
      role: 'share-worker',
      shareId: 'sh9',
      hostPid: host.pid,
    });
    process.kill(host.pid, 'SIGKILL');
    await waitFor(async () => !(await isAlive(host.pid, host.startTime)), 5_000, 'host gone');
    const unmarked = await pool.start(STUBBORN);
    const foreign = await pool.start(
      STUBBORN,
      marker(`test-other-${sandbox.workspaceId}`, 'shell', { HELIOS_SESSION_ID: 'o2' }),
    );

    const scan = await runCli(['orphans', '--json', ...sandbox.cli]);
    expect(scan.code).toBe(2);
    const report = JSON.parse(scan.out) as {
      safeToTerminate: { key: string; target: { pid: number; signal: string } }[];
    };
    const targets = new Map(report.safeToTerminate.map((a) => [a.target.pid, a.target.signal]));
    expect(targets.get(shell.pid)).toBe('SIGHUP');
    expect(targets.get(worker.pid)).toBe('SIGTERM');
    expect([...targets.keys()].sort()).toEqual([shell.pid, worker.pid].sort());
    const dry = await runCli(['orphans', '--dry-run', ...sandbox.cli]);
    expect(dry.out).toContain(`terminated (dry run): pid ${shell.pid}`);
    expect(await isAlive(shell.pid, shell.startTime)).toBe(true);

    const clean = await runCli(['orphans', 'clean', ...sandbox.cli]);
    expect(clean.code, clean.out + clean.err).toBe(0);
    expect(clean.out).toContain('killed with SIGKILL after 3 s');
    // Their groups also hold the loop's `sleep`, which helios did not start: each leader is
    // signalled alone and what shares its group is listed for review with its command line.
    expect(clean.out).toMatch(/Orphans: 2 terminated, 0 removed, \d+ pending review\./);
    expect(clean.out).toMatch(/\(sleep 600\) shares the process group of pid/);
    expect(await isAlive(shell.pid, shell.startTime)).toBe(false);
    expect(await isAlive(worker.pid, worker.startTime)).toBe(false);
    expect(await isAlive(unmarked.pid, unmarked.startTime)).toBe(true);
    expect(await isAlive(foreign.pid, foreign.startTime)).toBe(true);
  });

  it('applies a saved plan with its cleanup wave exactly (not refused as stale)', async () => {
    sandbox.tmux('new-session', '-d', '-s', 'helios-o3', '-c', sandbox.dir('o3'), 'sleep', '600');
    await sandbox.panesReady();
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    sandbox.tmux('kill-session', '-t', '=helios-o3:');
    const orphan = await pool.start(['sleep', '600'], sandboxMarkers(sandbox, 'o3'));
    await registerInSandbox(sandbox, { pid: orphan.pid, role: 'shell', sessionId: 'o3' });
    const planFile = join(sandbox.root, 'plan.json');
    expect((await runCli(['plan', '--out', planFile, ...sandbox.cli])).code).toBe(2);
    expect(readFileSync(planFile, 'utf8')).toContain(`"pid:${orphan.pid}@${orphan.startTime}"`);
    const applied = await runCli(['recover', '--plan', planFile, ...sandbox.cli]);
    expect(applied.code, applied.err + applied.out).toBe(0);
    expect(await isAlive(orphan.pid, orphan.startTime)).toBe(false);
    sandbox.tmux('kill-session', '-t', '=helios-o3:'); // the respawned one
  });

  it('never signals a pid whose start time changed (pid reuse)', async () => {
    const other = await pool.start(STUBBORN);
    const [outcome] = await executeTerminates(
      [
        {
          kind: 'terminate',
          key: 'pid:x',
          wave: 4,
          reason: 'orphan_owned',
          target: {
            type: 'process',
            pid: other.pid,
            startTime: other.startTime - 1,
            pgid: other.pid,
            signal: 'SIGTERM',
            label: 'reused',
          },
        },
      ],
      { ...configure({ stateDir: sandbox.stateDir }), incarnation: 'i' },
    );
    expect(outcome).toMatchObject({
      status: 'skipped',
      message: expect.stringMatching(/now belongs to another process/),
    });
    expect(await isAlive(other.pid, other.startTime)).toBe(true);
  });

  it('removes a stale temp file and never lets a leftover checkpoint.json.tmp replace the checkpoint', async () => {
    const stale = join(sandbox.stateDir, 'checkpoint.json.tmp');
    const fresh = join(sandbox.stateDir, 'other.json.tmp');
    writeFileSync(stale, '{"apiVersion":"helios.recovery/v1","generation":99');
    writeFileSync(fresh, 'being written');
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(stale, old, old);
    const status = JSON.parse((await runCli(['status', '--json', ...sandbox.cli])).out);
    expect(status.checkpoint.generation).toBe(0);
    const recovered = await runCli(['recover', '--json', ...sandbox.cli]);
    expect(JSON.parse(recovered.out.trim().split('\n').at(-1)!).cleanup).toEqual({
      terminated: 0,
      removed: 1,
      reviewPending: 0,
    });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(
      JSON.parse(readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8')).generation,
    ).toBe(0);
  });

  it('flags an abandoned lane with uncommitted work, never removes it, and settles it by review', async () => {
    const repo = sandbox.dir('repo');
    const git = gitIn(repo);
    git('init', '-q', '-b', 'main');
    git('commit', '-q', '--allow-empty', '-m', 'init');
    const kept = join(repo, '.helios-worktrees', 'lane-a');
    const abandoned = join(repo, '.helios-worktrees', 'lane-x');
    git('worktree', 'add', '-q', '-b', 'lane-a', kept);
    sandbox.tmux('new-session', '-d', '-s', 'helios-a', '-c', kept);
    await sandbox.panesReady();
    expect((await runCli(['checkpoint', ...sandbox.cli])).out).toContain('1 lane.');
    git('worktree', 'add', '-q', '-b', 'lane-x', abandoned);
    writeFileSync(join(abandoned, 'work.txt'), 'unsaved work');

    const clean = await runCli(['orphans', 'clean', ...sandbox.cli]);
    expect(clean.out).toMatch(
      /flagged for review as (r-[0-9a-f]{8}): worktree .*lane-x \(branch lane-x\) is not in the checkpoint; has uncommitted changes/,
    );
    const id = /flagged for review as (r-[0-9a-f]{8})/.exec(clean.out)![1]!;
    const again = await runCli(['orphans', '--json', ...sandbox.cli]);
    expect(JSON.parse(again.out).needsReview).toMatchObject([
      { id, status: 'pending', reason: 'lane_abandoned' },
    ]);

    const approve = await runCli(['orphans', 'approve', id, ...sandbox.cli]);
    expect(approve.code).toBe(1);
    expect(approve.err).toMatch(/has uncommitted changes: never removed/);
    expect(readFileSync(join(abandoned, 'work.txt'), 'utf8')).toBe('unsaved work');

    expect((await runCli(['orphans', 'dismiss', id, ...sandbox.cli])).code).toBe(0);
    const after = await runCli(['orphans', ...sandbox.cli]);
    expect(after.code).toBe(0);
    expect(after.out).toContain('No orphans found.');
    expect(existsSync(join(abandoned, 'work.txt'))).toBe(true);
  });

  it('answers bad orphans commands with one line', async () => {
    expect((await runCli(['orphans', 'approve', ...sandbox.cli])).err).toMatch(
      /^helios-recover: orphans approve needs a review ID/,
    );
    expect((await runCli(['orphans', 'frob', ...sandbox.cli])).err).toMatch(
      /^helios-recover: unknown orphans command "frob"/,
    );
    expect((await runCli(['orphans', 'dismiss', 'r-00000000', ...sandbox.cli])).err).toMatch(
      /no pending review item r-00000000/,
    );
  });
});
