import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RestorationPipeline } from '../../index.js';
import { loadNewestCheckpoint } from '../../store/checkpoint-store.js';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';
import { shellQuote } from '../../specs/shell-quoting.js';
import type { RecoveryEvent } from '../../specs/events.js';
import { PAUSED_CLI } from '../support/daemon.js';

const CLI = fileURLToPath(new URL('../../dist/bin/helios-recover.js', import.meta.url));

describe('the banner on a real terminal', () => {
  let sandbox: Sandbox;
  let terminal: Sandbox;
  beforeEach(async () => {
    sandbox = createSandbox();
    terminal = createSandbox();
    for (const name of ['helios-t1', 'helios-t2'])
      sandbox.tmux('new-session', '-d', '-s', name, '-c', sandbox.dir(name));
    await sandbox.panesReady();
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    sandbox.tmux('kill-server');
  });
  afterEach(() => {
    terminal.cleanup();
    sandbox.cleanup();
  });

  const screen = () => terminal.tmux('capture-pane', '-p', '-t', '=term:');

  it('shows the live line while restoring, then the boxed summary, dismissed by any key', async () => {
    const command = (extra: string) =>
      `env -u CI ${extra} ${shellQuote(process.execPath)} ${shellQuote(extra ? PAUSED_CLI : CLI)} recover ${sandbox.cli.map(shellQuote).join(' ')}; echo EXIT=$?; sleep 60`;
    terminal.tmux(
      'new-session',
      '-d',
      '-s',
      'term',
      '-x',
      '150',
      '-y',
      '40',
      command('HELIOS_TEST_PAUSE_AT=RESTORING'),
    );
    await waitFor(() => screen().includes('paused at RESTORING'), 10_000, 'the paused banner');
    expect(screen()).toMatch(/⟳ Restoring sessions\.\.\. 0 of 2 complete\. \[-{24}\]/);
    terminal.tmux('kill-session', '-t', '=term:');
    await waitFor(
      async () => (await runCli(['status', '--json', ...sandbox.cli])).out.includes('"stale"'),
      5_000,
      'the crashed run',
    );

    terminal.tmux('new-session', '-d', '-s', 'term', '-x', '150', '-y', '40', command(''));
    await waitFor(() => screen().includes('Press any key to dismiss.'), 10_000, 'the summary');
    const summary = screen();
    expect(summary).toMatch(/┌─+┐/);
    expect(summary).toMatch(/│ Recovery complete \(\d+\.\d s\) +│/);
    expect(summary).toContain('Crash detected: lock holder pid');
    terminal.tmux('send-keys', '-t', '=term:', 'x');
    await waitFor(() => screen().includes('EXIT=0'), 5_000, 'exit after the key');
    const after = screen();
    expect(after).not.toContain('┌');
    expect(after).toContain('Recovery complete: 2 restored, 0 failed');
  });

  it('prints plain lines when piped and only JSON lines with --json', async () => {
    const plain = execFileSync(process.execPath, [CLI, 'recover', ...sandbox.cli], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '' },
    });
    expect(plain).toContain('Restoring sessions... 2 of 2 complete.\n');
    expect(plain).toContain('Recovery complete (');
    expect(plain).not.toContain('\u001b');
    sandbox.tmux('kill-server');
    let out = '';
    try {
      out = execFileSync(process.execPath, [CLI, 'recover', '--json', ...sandbox.cli], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      out = (error as { stdout: string }).stdout;
    }
    const lines = out.trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'report', stage: 'LIVE' });
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('RestorationPipeline facade', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(() => sandbox.cleanup());

  it('restores a checkpoint document and emits restored/failed events', async () => {
    sandbox.tmux('new-session', '-d', '-s', 'helios-p1', '-c', sandbox.dir('p1'));
    sandbox.tmux('new-session', '-d', '-s', 'helios-p2', '-c', sandbox.dir('p2'));
    await sandbox.panesReady();
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    const loaded = await loadNewestCheckpoint(sandbox.stateDir);
    if (!loaded.ok) throw new Error(loaded.reason);
    const document = (await import('node:fs')).readFileSync(loaded.file, 'utf8');
    sandbox.tmux('kill-session', '-t', '=helios-p2:');
    (await import('node:fs')).rmSync(`${sandbox.root}/p1`, { recursive: true });
    sandbox.tmux('kill-session', '-t', '=helios-p1:');

    const pipeline = new RestorationPipeline({
      stateDir: sandbox.stateDir,
      tmuxSocket: sandbox.socket,
      backend: 'tmux',
    });
    const events: RecoveryEvent[] = [];
    pipeline.events$.subscribe((event) => events.push(event));
    const result = await pipeline.restore(document);
    expect(result.restored).toEqual([
      {
        sessionId: 'p2',
        sessionName: 'helios-p2',
        terminalId: 'p2',
        laneId: null,
        multiplexer: 'tmux',
        status: 'respawned',
      },
    ]);
    expect(result.failed).toMatchObject([{ sessionId: 'p1', reason: 'cwd_missing' }]);
    expect(result.duration).toBeGreaterThan(0);
    expect(
      events.map((e) => e.topic).filter((topic) => topic.startsWith('recovery.session.')),
    ).toEqual(['recovery.session.failed', 'recovery.session.restored']);
    expect(events[0]).toMatchObject({
      topic: 'recovery.stage.changed',
      payload: { from: null, to: 'INVENTORYING' },
    });
    expect(events.at(-1)).toMatchObject({
      topic: 'recovery.completed',
      payload: { restored: 1, failed: 1 },
    });
    await expect(pipeline.restore('{')).rejects.toThrow(
      /checkpoint cannot be used: not valid JSON/,
    );
  });
});
