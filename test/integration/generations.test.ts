import { existsSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instanceIdOf } from '../../specs/markers.js';
import { createSandbox, killTmuxServer, runCli, type Sandbox } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

/** The CLI in process (its engine counted by coverage), with the output named as a process's. */
const helios = async (args: string[]) => {
  const { code, out, err } = await runCli(args);
  return { code, stdout: out, stderr: err };
};

const names = (sandbox: Sandbox) => tmuxSessions(sandbox).map((s) => s.name);
const oneLine = (text: string) => text.trimEnd().split('\n');

describe('generations on real tmux: list, diff, roll back, restore some, snapshots', () => {
  let sandbox: Sandbox;
  let cli: (...args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;
  beforeEach(() => {
    sandbox = createSandbox();
    cli = (...args) => helios([...args, ...sandbox.cli]);
  });
  afterEach(() => sandbox.cleanup());

  /** Generation 0 (snapshot `base`): api, notes. Generation 1: api with 2 windows and a new
   * variable, build; notes closed. */
  async function twoGenerations() {
    await sandbox.startSessions(['api', 'notes']);
    const first = await cli('checkpoint', '--keep', 'base');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Kept as snapshot base');
    sandbox.tmux('kill-session', '-t', 'notes');
    await sandbox.startSessions(['build']);
    // A variable the new window's shell starts with: recorded, its value never shown.
    sandbox.tmux('set-environment', '-t', 'api', 'DEPLOY_TARGET', 's3cr3t-value');
    sandbox.tmux('new-window', '-d', '-t', 'api', '-c', sandbox.root);
    await sandbox.panesReady();
    const second = await cli('checkpoint');
    expect(second.code, second.stderr).toBe(0);
  }

  it('`checkpoints` lists generations newest first, with what changed, snapshots and unreadable files', async () => {
    await twoGenerations();
    writeFileSync(join(sandbox.stateDir, 'checkpoint.5.json'), '');
    const listed = await cli('checkpoints');
    expect(listed.code, listed.stderr).toBe(0);
    const lines = oneLine(listed.stdout);
    expect(lines[1]).toMatch(/^\s+5\s.*does not read: checkpoint\.5\.json: empty \(0 bytes\)$/);
    expect(lines[2]).toMatch(
      /^\s+1\s.*2 sessions, 3 windows, 3 panes {2}\+build -notes ~api {2}\[current\]$/,
    );
    expect(lines[3]).toMatch(
      /^\s+0\s.*2 sessions, 2 windows, 2 panes {2}\(oldest\) {2}\[snapshot base\]$/,
    );
    expect(listed.stdout).toMatch(/Retention \(default\): .*last 5 .*younger than 1d/);

    const json = await cli('checkpoints', '--json');
    const listing = JSON.parse(json.stdout) as {
      rows: { generation: number; current: boolean; snapshots: string[]; problem: string | null }[];
    };
    expect(listing.rows.map((r) => [r.generation, r.current, r.snapshots])).toEqual([
      [5, false, []],
      [1, true, []],
      [0, false, ['base']],
    ]);
    expect(listing.rows[0]!.problem).toMatch(/empty/);
    expect((await cli('checkpoints', '--help')).stdout).toMatch(
      /^Usage: helios-recover checkpoints/,
    );
  });

  it('`checkpoints diff A B` says what changed per session, variables by name only', async () => {
    await twoGenerations();
    const diffed = await cli('checkpoints', 'diff', 'base', '1');
    expect(diffed.code, diffed.stderr).toBe(0);
    expect(diffed.stdout).toMatch(/^From generation 0 to 1:/);
    expect(diffed.stdout).toContain('+ build  added');
    expect(diffed.stdout).toContain('- notes  removed');
    expect(diffed.stdout).toMatch(/~ api\n(.*\n)*\s+windows: 0:\S+ -> 0:\S+ 1:\S+\n/);
    expect(diffed.stdout).toMatch(/environment \(names only\): \+(1\.0:)?DEPLOY_TARGET\n/);
    expect(diffed.stdout).not.toContain('s3cr3t');
    const json = JSON.parse((await cli('checkpoints', 'diff', '1', '0', '--json')).stdout) as {
      diff: { added: string[]; removed: string[] };
    };
    expect(json.diff).toMatchObject({ added: ['notes'], removed: ['build'] });
    expect(JSON.stringify(json)).not.toContain('s3cr3t');

    const missing = await cli('checkpoints', 'diff', '0', '42');
    expect(missing.code).toBe(1);
    expect(oneLine(missing.stderr)).toEqual([
      expect.stringMatching(/^helios-recover: no generation 42 in .* \(kept: 1, 0\)$/),
    ]);
    const typo = await cli('checkpoints', 'diff', 'bse', '1');
    expect(typo.code).toBe(1);
    expect(oneLine(typo.stderr)).toEqual([
      expect.stringMatching(/no snapshot named "bse" .*\(did you mean "base"\?\)$/),
    ]);
  });

  it('`recover --generation N` rolls back as the next generation and keeps live sessions it lacks', async () => {
    await twoGenerations();
    const absent = await cli('recover', '--generation', '9');
    expect(absent.code).toBe(1);
    expect(oneLine(absent.stderr)).toHaveLength(1);
    writeFileSync(join(sandbox.stateDir, 'snapshot.broken.json'), 'garbage');
    const broken = await cli('recover', '--generation', 'broken');
    expect(broken.code).toBe(1);
    expect(oneLine(broken.stderr)).toEqual([
      expect.stringMatching(
        /snapshot broken does not read \(snapshot\.broken\.json: not valid JSON/,
      ),
    ]);
    expect(existsSync(join(sandbox.stateDir, 'checkpoint.1.json'))).toBe(false);

    const rolled = await cli('recover', '--generation', '0', '--no-wait');
    expect(rolled.code, rolled.stdout + rolled.stderr).toBe(3);
    expect(rolled.stdout).toContain('rolled back: generation 0 written again as generation 2');
    expect(rolled.stdout).toMatch(/notes {2}respawned/);
    expect(rolled.stdout).toContain('1 pending review');
    // build is not in generation 0: it is kept (flagged for review), never terminated.
    expect(names(sandbox)).toEqual(['api', 'build', 'notes']);
    const listed = await cli('checkpoints');
    expect(listed.stdout).toMatch(/^\s+2\s.*\[current, same as 0\]$/m);
    expect(listed.stdout).toMatch(/^\s+1\s.*\+build -notes ~api$/m);
    const status = await cli('status', '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({ checkpoint: { generation: 2 } });
  });

  it('`recover --session NAME` restores only those sessions and destroys nothing else', async () => {
    await sandbox.startSessions(['api', 'notes', 'web']);
    expect((await cli('checkpoint')).code).toBe(0);
    await killTmuxServer(sandbox);
    const typo = await cli('recover', '--session', 'nots');
    expect(typo.code).toBe(1);
    expect(oneLine(typo.stderr)).toEqual([
      expect.stringMatching(
        /no session named "nots" in the newest checkpoint \(sessions: api, notes, web\) \(did you mean "notes"\?\)$/,
      ),
    ]);
    // A live session of ours that the checkpoint lacks: even with --prune it is left alone.
    await sandbox.startSessions(['extra']);
    sandbox.tmux('set-option', '-t', 'extra', '@helios-workspace', sandbox.workspaceId);
    const instance = instanceIdOf(process.getuid!(), realpathSync(sandbox.stateDir));
    sandbox.tmux('set-option', '-t', 'extra', '@helios-instance', instance);
    const some = await cli(
      'recover',
      '--session',
      'notes',
      '--session',
      'web',
      '--prune',
      '--no-wait',
    );
    expect(some.code, some.stdout + some.stderr).toBe(0);
    expect(some.stdout).toContain('orphan cleanup was skipped');
    expect(names(sandbox)).toEqual(['extra', 'notes', 'web']);
    const rest = await cli('recover', '--no-wait');
    expect(rest.stdout).toMatch(/api {2}respawned/);
  });

  it('`checkpoint --keep NAME` is a snapshot that retention never prunes and recover restores', async () => {
    await sandbox.startSessions(['api', 'notes']);
    expect((await cli('checkpoint', '--keep', 'before-upgrade')).code).toBe(0);
    const bad = await cli('checkpoint', '--keep', '../x');
    expect(bad.code).toBe(1);
    expect(oneLine(bad.stderr)).toEqual([expect.stringMatching(/invalid snapshot name "\.\.\/x"/)]);
    const taken = await cli('checkpoint', '--keep', 'before-upgrade');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/exists already/);
    sandbox.tmux('kill-session', '-t', 'notes');
    const policy = await cli('checkpoint', '--keep-count', '1', '--keep-age', '0');
    expect(policy.stdout).toMatch(/Retention: .*last 1 before it;/);
    for (let i = 0; i < 3; i += 1) expect((await cli('checkpoint')).code).toBe(0);
    const files = readdirSync(sandbox.stateDir).filter((f) => /^(checkpoint|snapshot)\./.test(f));
    expect(files.sort()).toEqual([
      'checkpoint.3.json',
      'checkpoint.json',
      'snapshot.before-upgrade.json',
    ]);
    expect((await cli('checkpoints')).stdout).toMatch(/^\s+0\s.*\[snapshot before-upgrade\]$/m);
    const restored = await cli('recover', '--generation', 'before-upgrade', '--no-wait');
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    expect(names(sandbox)).toEqual(['api', 'notes']);
  });
});
