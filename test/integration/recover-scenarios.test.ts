import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, jsonLines, runCli, type Sandbox } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

interface Report {
  stage: string;
  withIssues: boolean;
  checkpoint: { generation: number; skipped: { file: string; reason: string }[] } | null;
  sessions: { sessionId: string; sessionName: string; status: string; reason: string }[];
}

function reportOf(out: string): Report {
  const last = jsonLines(out).at(-1) as unknown as Report & { type: string };
  expect(last.type).toBe('report');
  return last;
}

describe('recover on real tmux', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = createSandbox();
    for (const name of ['helios-s1', 'helios-s2', 'helios-s3']) {
      sandbox.tmux('new-session', '-d', '-s', name, '-c', sandbox.dir(name), '-e', `WHO=${name}`);
    }
    await sandbox.panesReady();
    const checkpoint = await runCli(['checkpoint', ...sandbox.cli]);
    expect(checkpoint.code, checkpoint.err).toBe(0);
  });
  afterEach(() => sandbox.cleanup());

  it('reattaches survivors instead of respawning them', async () => {
    const before = tmuxSessions(sandbox);
    sandbox.tmux('kill-session', '-t', '=helios-s2:');
    const result = await runCli(['recover', '--json', ...sandbox.cli]);
    expect(result.code, result.err).toBe(0);
    const statuses = Object.fromEntries(
      reportOf(result.out).sessions.map((s) => [s.sessionName, s.status]),
    );
    expect(statuses).toEqual({
      'helios-s1': 'reattached',
      'helios-s2': 'respawned',
      'helios-s3': 'reattached',
    });
    const after = tmuxSessions(sandbox);
    expect(after.find((s) => s.name === 'helios-s1')!.panePid).toBe(
      before.find((s) => s.name === 'helios-s1')!.panePid,
    );
    expect(after.find((s) => s.name === 'helios-s2')!.panePid).not.toBe(
      before.find((s) => s.name === 'helios-s2')!.panePid,
    );
  });

  it('fails a corrupt session entry alone with checkpoint_corrupt', async () => {
    const file = join(sandbox.stateDir, 'checkpoint.json');
    const document = JSON.parse(readFileSync(file, 'utf8'));
    document.sessions[1].workingDirectory = '/tampered';
    writeFileSync(file, JSON.stringify(document));
    sandbox.tmux('kill-server');
    const result = await runCli(['recover', '--json', ...sandbox.cli]);
    expect(result.code).toBe(3);
    const report = reportOf(result.out);
    expect(report.sessions.map((s) => [s.sessionName, s.status, s.reason])).toEqual([
      ['s2', 'failed', 'checkpoint_corrupt'],
      ['helios-s1', 'respawned', 'no_live_session'],
      ['helios-s3', 'respawned', 'no_live_session'],
    ]);
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(['helios-s1', 'helios-s3']);
  });

  it('falls back to the previous generation when the newest does not parse', async () => {
    sandbox.tmux('new-session', '-d', '-s', 'helios-s4', '-c', sandbox.dir('s4'));
    await sandbox.panesReady();
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    writeFileSync(
      join(sandbox.stateDir, 'checkpoint.json'),
      '{"apiVersion": "helios.recovery/v1", trunc',
    );
    sandbox.tmux('kill-server');
    const result = await runCli(['recover', '--json', ...sandbox.cli]);
    expect(result.code, result.err).toBe(0);
    const report = reportOf(result.out);
    expect(report.checkpoint!.generation).toBe(0);
    expect(report.checkpoint!.skipped[0]!.reason).toMatch(/not valid JSON/);
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual([
      'helios-s1',
      'helios-s2',
      'helios-s3',
    ]);
  });

  it('applies a saved plan exactly, and refuses it once the world changed', async () => {
    sandbox.tmux('kill-session', '-t', '=helios-s3:');
    const planFile = join(sandbox.root, 'plan.json');
    const plan = await runCli(['plan', '--out', planFile, ...sandbox.cli]);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain(`Plan saved to ${planFile}`);

    sandbox.tmux('kill-session', '-t', '=helios-s1:');
    const stale = await runCli(['recover', '--plan', planFile, ...sandbox.cli]);
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/saved plan is stale: the observed state changed/);
    // What to do, with this workspace's options: the stale plan's remedy.
    expect(stale.err).toContain(
      `. Run \`helios-recover plan -w ${sandbox.workspaceId} --state-dir ${sandbox.stateDir} -L ${sandbox.socket} --backend tmux\` to see the current state`,
    );

    expect((await runCli(['plan', '--out', planFile, ...sandbox.cli])).code).toBe(2);
    const applied = await runCli(['recover', '--plan', planFile, ...sandbox.cli]);
    expect(applied.code, applied.err + applied.out).toBe(0);
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual([
      'helios-s1',
      'helios-s2',
      'helios-s3',
    ]);
    expect((await runCli(['plan', ...sandbox.cli])).code).toBe(0);
  });

  it('refuses plan files that are not valid plans', async () => {
    const file = join(sandbox.root, 'bad.json');
    writeFileSync(file, 'not json');
    expect((await runCli(['recover', '--plan', file, ...sandbox.cli])).err).toMatch(
      /not valid JSON/,
    );
    writeFileSync(file, JSON.stringify({ apiVersion: 'helios.recovery/v9', kind: 'RecoveryPlan' }));
    const unknown = await runCli(['recover', '--plan', file, ...sandbox.cli]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/unknown apiVersion "helios.recovery\/v9"/);
  });

  it('refuses to overwrite a checkpoint with an empty observation unless forced', async () => {
    sandbox.tmux('kill-server');
    const refused = await runCli(['checkpoint', ...sandbox.cli]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /refusing to overwrite it with an empty one\. If the sessions are gone for good, write it anyway with `helios-recover checkpoint .*--state-dir .* --force`\.$/m,
    );
    const status = await runCli(['status', '--json', ...sandbox.cli]);
    expect(JSON.parse(status.out).checkpoint.sessions).toBe(3);
    const forced = await runCli(['checkpoint', '--force', ...sandbox.cli]);
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/generation 1 written .*: 0 sessions, 0 lanes/);
    // With nothing to overwrite either: said, and exit 1, unless --allow-empty.
    rmSync(sandbox.stateDir, { recursive: true });
    const none = await runCli(['checkpoint', ...sandbox.cli]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(
      /no live session of workspace .* was found \(tmux -L helios-test-\w+: no server or no session of ours\): nothing to checkpoint\. Start the sessions first, or write an empty checkpoint with `helios-recover checkpoint -w .* --allow-empty`\.$/m,
    );
    const empty = await runCli(['checkpoint', '--allow-empty', ...sandbox.cli]);
    expect(empty.code).toBe(0);
    expect(empty.out).toMatch(/: 0 sessions, 0 lanes\.$/m);
  });

  it("never captures another workspace's sessions", async () => {
    sandbox.tmux('new-session', '-d', '-s', 'foreign', '-c', sandbox.root);
    sandbox.tmux('set-option', '-t', '=foreign:', '@helios-workspace', 'someone-else');
    const result = await runCli(['checkpoint', '--json', ...sandbox.cli]);
    expect(JSON.parse(result.out).sessions).toEqual(['helios-s1', 'helios-s2', 'helios-s3']);
    rmSync(join(sandbox.stateDir, 'checkpoint.json'));
  });
});
