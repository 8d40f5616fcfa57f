import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, jsonLines, runCli, type Sandbox } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

describe('lanes on real git worktrees', () => {
  let sandbox: Sandbox;
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
      cwd: repo,
      stdio: 'pipe',
    });
  const lane = (id: string) => join(repo, '.helios-worktrees', id);

  beforeEach(async () => {
    sandbox = createSandbox();
    repo = sandbox.dir('repo');
    git('init', '-q', '-b', 'main');
    git('commit', '-q', '--allow-empty', '-m', 'init');
    for (const id of ['lane-a', 'lane-b'])
      git('worktree', 'add', '-q', '-b', `helios/lane/${id}`, lane(id));
    sandbox.tmux('new-session', '-d', '-s', 'helios-a', '-c', lane('lane-a'));
    sandbox.tmux('new-session', '-d', '-s', 'helios-b', '-c', lane('lane-b'));
    sandbox.tmux('new-session', '-d', '-s', 'helios-scratch', '-c', sandbox.dir('scratch'));
    await sandbox.panesReady();
    const checkpoint = await runCli(['checkpoint', ...sandbox.cli]);
    expect(checkpoint.out).toMatch(/3 sessions .*, 2 lanes\./);
  });
  afterEach(() => sandbox.cleanup());

  it('fails the sessions of a removed worktree and of a missing cwd, with reasons, and restores the rest', async () => {
    sandbox.tmux('kill-server');
    git('worktree', 'remove', '--force', lane('lane-b'));
    rmSync(join(sandbox.root, 'scratch'), { recursive: true });

    const result = await runCli(['recover', '--json', ...sandbox.cli]);
    expect(result.code).toBe(3);
    const events = jsonLines(result.out);
    const failed = events
      .filter((e) => e.topic === 'recovery.session.failed')
      .map((e) => e.payload as { sessionName: string; reason: string } & Record<string, unknown>);
    expect(failed.map((p) => [p.sessionName, p.reason])).toEqual([
      ['helios-b', 'lane_missing'],
      ['helios-scratch', 'cwd_missing'],
    ]);
    expect(failed[0]!.suggestion).toContain(`worktree add ${lane('lane-b')} helios/lane/lane-b`);
    expect(failed[1]!.suggestion).toContain(`Recreate ${join(sandbox.root, 'scratch')}`);
    // --json carries the remedy as data, and its text with this workspace's options.
    expect(failed[1]!.remedy).toEqual({
      code: 'create_directory',
      path: join(sandbox.root, 'scratch'),
      sessionName: 'helios-scratch',
    });
    expect(failed[1]!.suggestion).toContain(
      `\`helios-recover recover -w ${sandbox.workspaceId} --state-dir ${sandbox.stateDir} -L ${sandbox.socket} --backend tmux\``,
    );
    const lanes = events
      .filter((e) => e.topic === 'recovery.lane.reinventoried')
      .map((e) => (e.payload as { laneId: string }).laneId);
    expect(lanes).toEqual(['lane-a']);
    expect(tmuxSessions(sandbox).map((s) => [s.name, s.cwd])).toEqual([
      ['helios-a', lane('lane-a')],
    ]);

    const again = await runCli(['plan', ...sandbox.cli]);
    expect(again.code).toBe(0);
    expect(again.out).toContain('0 to respawn, 3 cannot be restored');
  });

  it('never respawns a lane session elsewhere when its lane is gone', async () => {
    sandbox.tmux('kill-session', '-t', '=helios-b:');
    rmSync(lane('lane-b'), { recursive: true });
    const plan = await runCli(['plan', '--json', ...sandbox.cli]);
    const parsed = JSON.parse(plan.out) as {
      actions: { key: string }[];
      blocked: { key: string; reason: string }[];
    };
    expect(parsed.actions.map((a) => a.key)).not.toContain('session:b');
    expect(parsed.blocked.map((b) => [b.key, b.reason])).toEqual([
      ['lane:lane-b', 'lane_missing'],
      ['session:b', 'lane_missing'],
    ]);
  });
});
