import { spawn } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, jsonLines, runCli, type Sandbox } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

const ROUNDS = [1, 2, 3, 4, 5];
const NAMES = ['helios-t1', 'helios-t2', 'helios-t3', 'helios-t4', 'helios-t5'];

/** Seed scenarios T013 / T014 (docs/TRACEABILITY.md), each repeated to prove it is not flaky. */
describe('seed scenarios: 5 sessions', () => {
  let sandbox: Sandbox;
  const report = (out: string) =>
    jsonLines(out).at(-1) as {
      stage: string;
      sessions: { sessionName: string; status: string; reason: string }[];
    };

  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(NAMES);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    sandbox.tmux('kill-server');
  });
  afterEach(() => sandbox.cleanup());

  it.each(ROUNDS)('T013: all 5 sessions come back after a crash (round %i)', async () => {
    const result = await runCli(['recover', '--json', ...sandbox.cli]);
    expect(result.code, result.err).toBe(0);
    expect(report(result.out).sessions.map((s) => s.status)).toEqual(Array(5).fill('respawned'));
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(NAMES);
  });

  it.each(ROUNDS)(
    'T013: 2 corrupted entries -> 3 restored, 2 failed with reasons (round %i)',
    async () => {
      const file = join(sandbox.stateDir, 'checkpoint.json');
      const document = JSON.parse(readFileSync(file, 'utf8'));
      document.sessions[1].environment = { INJECTED: '1' };
      document.sessions[3].checksum = `sha256:${'f'.repeat(64)}`;
      writeFileSync(file, JSON.stringify(document));
      const result = await runCli(['recover', '--json', ...sandbox.cli]);
      expect(result.code).toBe(3);
      const sessions = report(result.out).sessions;
      expect(
        sessions.filter((s) => s.status === 'failed').map((s) => [s.sessionName, s.reason]),
      ).toEqual([
        ['t2', 'checkpoint_corrupt'],
        ['t4', 'checkpoint_corrupt'],
      ]);
      expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual([
        'helios-t1',
        'helios-t3',
        'helios-t5',
      ]);
    },
  );

  it.each(ROUNDS)(
    'T014: a crash during a checkpoint write leaves the previous checkpoint in use and the temp file cleaned (round %i)',
    async () => {
      // A writer killed mid-write: its half-written temp file names a pid that is gone.
      const writer = spawn('sleep', ['0']);
      await new Promise((resolve) => writer.once('exit', resolve));
      const temp = join(sandbox.stateDir, `checkpoint.json.${writer.pid}-0badc0de.tmp`);
      writeFileSync(
        temp,
        '{"apiVersion":"helios.recovery/v1","kind":"WorkspaceCheckpoint","generation":1,"sessions":[{"sess',
      );
      const old = (Date.now() - 40_000) / 1000;
      utimesSync(temp, old, old);
      const result = await runCli(['recover', '--json', ...sandbox.cli]);
      expect(result.code, result.err).toBe(0);
      const last = jsonLines(result.out).at(-1) as {
        checkpoint: { generation: number };
        cleanup: { removed: number };
      };
      expect(last.checkpoint.generation).toBe(0);
      expect(last.cleanup.removed).toBe(1);
      expect(existsSync(temp)).toBe(false);
      expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(NAMES);
    },
  );
});
