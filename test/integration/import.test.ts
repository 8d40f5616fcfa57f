import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SAVE } from '../support/resurrect-save.js';
import { runCli } from '../support/sandbox.js';

describe('helios-recover import', () => {
  let dir: string;
  let cli: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'helios-import-'));
    cli = ['--workspace', 'test-import', '--state-dir', join(dir, 'state')];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a tmux-resurrect save as the next checkpoint, and a heliosApp v1 checkpoint to --out', async () => {
    writeFileSync(join(dir, 'last'), SAVE);
    const imported = await runCli(['import', 'tmux-resurrect', join(dir, 'last'), ...cli]);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toMatch(/Imported 2 sessions .* \(generation 0\)/);
    expect(JSON.parse((await runCli(['status', '--json', ...cli])).out).checkpoint.sessions).toBe(
      2,
    );

    // As heliosApp's CheckpointWriter writes it: shellCommand one string, its own checksum.
    const sessions = [
      {
        sessionId: 's1',
        terminalId: 't1',
        laneId: null,
        workingDirectory: '/w',
        environmentVariables: {},
        scrollbackSnapshot: '',
        zelijjSessionName: 'helios-s1',
        shellCommand: '/bin/bash -l -c \'echo "a b"; exec bash\'',
      },
    ];
    const checksum = createHash('sha256').update(JSON.stringify(sessions)).digest('hex');
    const v1 = { version: 1, timestamp: '2026-11-24T10:00:00.000Z', checksum, sessions };
    writeFileSync(join(dir, 'v1.json'), JSON.stringify(v1));
    const out = join(dir, 'converted.json');
    const importV1 = (file: string, ...extra: string[]) =>
      runCli(['import', 'helios-v1', join(dir, file), '--out', out, ...cli, ...extra]);
    const importedV1 = await importV1('v1.json');
    expect(importedV1.code, importedV1.err).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
      apiVersion: 'helios.recovery/v2',
      generation: 1,
      sessions: [
        {
          sessionName: 'helios-s1',
          multiplexer: 'zellij',
          shellCommand: ['/bin/bash', '-l', '-c', 'echo "a b"; exec bash'],
        },
      ],
    });

    // Tampered: refused in one line; --force imports it and says so.
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify({ ...v1, checksum: 'x' }));
    const tampered = await importV1('tampered.json');
    expect(tampered.code).toBe(1);
    expect(tampered.err).toMatch(/refused: its checksum "x" does not match its sessions/);
    expect(tampered.err).toMatch(
      /Import it anyway with `helios-recover import .*helios-v1 \S+ --out \S+ --force`\.$/m,
    );
    expect(tampered.err).not.toMatch(/--out FILE/);
    const forced = await importV1('tampered.json', '--force');
    expect(forced.code).toBe(0);
    expect(forced.err).toMatch(/warning: .*imported although its checksum .* \(forced\)/);

    // heliosApp's backup beside a tampered file is read instead, as heliosApp's reader does.
    writeFileSync(join(dir, 'tampered.json.backup'), JSON.stringify(v1));
    const restored = await importV1('tampered.json');
    expect(restored.code, restored.err).toBe(0);
    expect(restored.err).toMatch(
      /its checksum "x" does not match .*: its backup \S+tampered.json.backup is read instead/,
    );

    // The sessions run on the backend asked for (heliosApp's default: zellij).
    const onTmux = await importV1('v1.json', '--backend', 'tmux');
    expect(onTmux.code, onTmux.err).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).sessions[0].multiplexer).toBe('tmux');

    // A command line with shell operators runs through /bin/sh -c, as heliosApp runs it.
    const piped = [{ ...sessions[0]!, shellCommand: 'bash | tee log' }];
    writeFileSync(
      join(dir, 'piped.json'),
      JSON.stringify({
        ...v1,
        sessions: piped,
        checksum: createHash('sha256').update(JSON.stringify(piped)).digest('hex'),
      }),
    );
    const pipedRun = await importV1('piped.json');
    expect(pipedRun.code, pipedRun.err).toBe(0);
    expect(pipedRun.err).toMatch(
      /shellCommand "bash \| tee log" has the shell operator \|: it runs as \/bin\/sh -c/,
    );
    expect(JSON.parse(readFileSync(out, 'utf8')).sessions[0].shellCommand).toEqual([
      '/bin/sh',
      '-c',
      'bash | tee log',
    ]);
  });

  it('refuses unreadable, malformed and invalid input with one line', async () => {
    expect((await runCli(['import', 'tmux-resurrect', join(dir, 'missing'), ...cli])).err).toMatch(
      /^helios-recover: cannot read .*missing: ENOENT/,
    );
    writeFileSync(join(dir, 'bad.json'), '{"version": 2}');
    expect((await runCli(['import', 'helios-v1', join(dir, 'bad.json'), ...cli])).err).toMatch(
      /not a heliosApp v1 checkpoint: version/,
    );
    writeFileSync(join(dir, 'broken'), 'pane\tx');
    expect((await runCli(['import', 'tmux-resurrect', join(dir, 'broken'), ...cli])).err).toMatch(
      /line 1: a pane line needs its :directory/,
    );
    expect((await runCli(['import', 'screen', 'f', ...cli])).err).toMatch(
      /unknown import format "screen"/,
    );
  });
});

describe('import helios-v1 against a real repository', () => {
  it('derives lanes from the worktrees, so lane_missing protects imported sessions; imports the rest when one session fails; refuses duplicates', async () => {
    const { createSandbox, gitIn } = await import('../support/sandbox.js');
    const sandbox = createSandbox('zellij');
    try {
      const repo = sandbox.dir('repo');
      const git = gitIn(repo);
      git('init', '-q');
      git('commit', '-q', '--allow-empty', '-m', 'init');
      const worktree = join(repo, '.helios-worktrees', 'lane-a');
      git('worktree', 'add', '-q', '-b', 'helios/lane/lane-a', worktree);
      const session = (id: string, cwd: string, name = `helios-${id}`) => ({
        sessionId: id,
        terminalId: id,
        laneId: 'lane-a',
        workingDirectory: cwd,
        environmentVariables: {},
        scrollbackSnapshot: '',
        zelijjSessionName: name,
        shellCommand: '/bin/sh',
      });
      const write = (sessions: unknown[]) => {
        const file = join(sandbox.root, `v1-${sessions.length}.json`);
        writeFileSync(
          file,
          JSON.stringify({
            version: 1,
            timestamp: 0,
            checksum: createHash('sha256').update(JSON.stringify(sessions)).digest('hex'),
            sessions,
          }),
        );
        return file;
      };
      const file = write([
        session('l1', worktree),
        session('bad', worktree, 'has space'),
        session('dot', worktree, 'lane-a.main'),
      ]);
      const imported = await runCli(['import', 'helios-v1', file, ...sandbox.cli]);
      expect(imported.code, imported.err).toBe(3);
      expect(imported.err).toMatch(/warning: not imported: session bad: sessionName: /);
      expect(imported.out).toMatch(
        /Imported 2 sessions \(2 windows, 2 panes, 0 programs\) \(some failed: see the warnings\)/,
      );
      const document = JSON.parse(readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8'));
      expect(document.lanes).toMatchObject([{ laneId: 'lane-a', worktreePath: worktree }]);
      expect(document.sessions).toMatchObject([
        { sessionId: 'l1', laneId: 'lane-a' },
        // heliosApp accepts dotted zellij names, and so does a zellij entry here.
        { sessionId: 'dot', sessionName: 'lane-a.main', multiplexer: 'zellij' },
      ]);

      git('worktree', 'remove', '--force', worktree);
      const plan = await runCli(['plan', ...sandbox.cli]);
      expect(plan.out).toMatch(/session:l1 .*\[lane_missing\]/);

      const dup = write([
        session('d1', repo, 'helios-same'),
        session('d2', repo, 'helios-same'),
        session('d3', repo),
      ]);
      const refused = await runCli(['import', 'helios-v1', dup, '--force', ...sandbox.cli]);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/refused: sessions d1 and d2 share the name helios-same/);
    } finally {
      sandbox.cleanup();
    }
  });
});
