import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killMarked } from '../support/crash.js';
import { createProcessPool, isAlive } from '../support/processes.js';
import { createSandbox, gitIn, killTmuxServer, runCli, type Sandbox } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

const reviewIdIn = (text: string) => /flagged for review as (r-[0-9a-f]{8})/.exec(text)?.[1];

describe('prune needs consent, approve re-checks, lanes keep every file', () => {
  let sandbox: Sandbox;
  const pool = createProcessPool();
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(async () => {
    pool.stopAll();
    await killMarked(sandbox.workspaceId);
    sandbox.cleanup();
  });

  it('import refuses to drop sessions without --force, and recover then flags instead of killing', async () => {
    await sandbox.startSessions(['helios-i1', 'helios-i2']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    sandbox.tmux('kill-server');
    expect((await runCli(['recover', ...sandbox.cli])).code).toBe(0);
    const save = join(sandbox.root, 'last');
    writeFileSync(
      save,
      [
        `pane\thelios-i1\t0\t1\t:*\t0\ttitle\t:${sandbox.dir('helios-i1')}\t1\tbash\t123\t0`,
        'window\thelios-i1\t0\t:bash\t1\t:*\tlayout\t:',
        'state\thelios-i1\thelios-i1',
      ].join('\n'),
    );
    const refused = await runCli(['import', 'tmux-resurrect', save, ...sandbox.cli]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /would drop 1 session of .*\(helios-i2\): refused\. Import it anyway with `helios-recover import .* tmux-resurrect \S+ --force`, or write it elsewhere with `.* --out FILE`\./,
    );
    expect((await runCli(['import', 'tmux-resurrect', save, '--force', ...sandbox.cli])).code).toBe(
      0,
    );
    const i2 = tmuxSessions(sandbox).find((s) => s.name === 'helios-i2')!;
    const recovered = await runCli(['recover', '--no-wait', ...sandbox.cli]);
    expect(recovered.out).toMatch(/Orphans: 0 terminated, 0 removed, 1 pending review/);
    expect(tmuxSessions(sandbox).find((s) => s.name === 'helios-i2')?.panePid).toBe(i2.panePid);
    const scan = await runCli(['orphans', ...sandbox.cli]);
    expect(scan.out).toMatch(/helios-i2 is tagged .* but not in the checkpoint: kept/);
    const id = /(r-[0-9a-f]{8}) {2}tmux session helios-i2/.exec(scan.out)?.[1];
    const flags = `-w ${sandbox.workspaceId} --state-dir ${sandbox.stateDir} -L ${sandbox.socket} --backend tmux`;
    expect(scan.out).toContain(
      `→ End it with \`helios-recover orphans clean ${flags} --prune\`, or approve it with \`helios-recover orphans approve ${flags} ${id}\`.`,
    );
    const pruned = await runCli(['orphans', 'clean', '--prune', ...sandbox.cli]);
    expect(pruned.out).toMatch(/killed stale tmux session helios-i2/);
  });

  it('refuses to approve an item that is no longer what was reviewed', async () => {
    await sandbox.startSessions(['helios-a1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    await sandbox.startSessions(['helios-x']); // untagged, not in the checkpoint
    const id = reviewIdIn((await runCli(['orphans', 'clean', ...sandbox.cli])).out)!;
    expect(id).toBeDefined();
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0); // adopts helios-x
    const approve = await runCli(['orphans', 'approve', id, ...sandbox.cli]);
    expect(approve.code).toBe(1);
    expect(approve.err).toMatch(/no longer what was reviewed/);
    expect(tmuxSessions(sandbox).map((s) => s.name)).toContain('helios-x');
  });

  it('keeps a lane worktree whose only content is a git-ignored file unless told to discard it', async () => {
    const repo = sandbox.dir('repo');
    const git = gitIn(repo);
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, '.gitignore'), '.env\n');
    git('add', '.gitignore');
    git('commit', '-q', '-m', 'init');
    const kept = join(repo, '.helios-worktrees', 'lane-a');
    git('worktree', 'add', '-q', '-b', 'lane-a', kept);
    sandbox.tmux('new-session', '-d', '-s', 'helios-a', '-c', kept);
    await sandbox.panesReady();
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    const abandoned = join(repo, '.helios-worktrees', 'lane-x');
    git('worktree', 'add', '-q', '-b', 'lane-x', abandoned);
    writeFileSync(join(abandoned, '.env'), 'SECRET=1\n');
    const id = reviewIdIn((await runCli(['orphans', 'clean', ...sandbox.cli])).out)!;
    const approve = await runCli(['orphans', 'approve', id, ...sandbox.cli]);
    expect(approve.code).toBe(1);
    expect(approve.err).toMatch(/holds git-ignored files that removal would delete: \.env/);
    expect(existsSync(join(abandoned, '.env'))).toBe(true);
    const discard = await runCli(['orphans', 'approve', id, '--discard-ignored', ...sandbox.cli]);
    expect(discard.code, discard.err).toBe(0);
    expect(existsSync(abandoned)).toBe(false);
    expect(git('branch', '--list', 'lane-x').toString()).toContain('lane-x'); // branch kept
  });

  it("ignores other tooling's HELIOS_ variables and never adopts a same-named session in another cwd", async () => {
    const tooling = await pool.start(['sleep', '600'], { HELIOS_ROLE: 'shell' });
    await sandbox.startSessions(['helios-n1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    // A session started while the killed server still exits meets it ("server exited
    // unexpectedly"): wait until it has gone.
    await killTmuxServer(sandbox);
    sandbox.tmux('new-session', '-d', '-s', 'helios-n1', '-c', sandbox.dir('elsewhere'));
    await sandbox.panesReady();
    const impostor = tmuxSessions(sandbox)[0]!;
    const recovered = await runCli(['recover', '--no-wait', ...sandbox.cli]);
    expect(recovered.code).toBe(3);
    expect(recovered.out).toMatch(/helios-n1 {2}name_taken: .*runs in .*elsewhere/);
    expect(tmuxSessions(sandbox)[0]!.panePid).toBe(impostor.panePid);
    const scan = await runCli(['orphans', ...sandbox.cli]);
    expect(scan.out).toMatch(/helios-n1 carries no tag .* not adopted {2}\[name_taken\]/);
    expect(scan.out).not.toContain(`pid ${tooling.pid} `);
    expect(await isAlive(tooling.pid, tooling.startTime)).toBe(true);
  });
});
