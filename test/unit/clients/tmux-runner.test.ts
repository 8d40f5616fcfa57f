import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTmux, tagCommands, tmuxStep } from '../../../clients/tmux-runner.js';
import { fakeProgram as fakeTmux } from '../../support/fake-program.js';

const CALL = { timeoutMs: 5_000 };

describe('runTmux: the one way to run tmux', () => {
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'helios-test-runner-')));
  });
  afterEach(() => {
    delete process.env.TMUX_RUNNER_PROBE;
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds the argv exactly: socket flags, encoded arguments, real `;` separators', async () => {
    const tmux = fakeTmux(dir);
    const env = { PATH: process.env.PATH };
    await runTmux(
      { socketName: 'sock', command: tmux.program, env },
      [
        ['set-option', '-t', '=a;b:', '@note', 'ends;'],
        ['list-sessions', '-F', '#{a};'],
      ],
      CALL,
    );
    expect(tmux.seen().argv).toEqual([
      '-L',
      'sock',
      'set-option',
      '-t',
      '=a;b:',
      '@note',
      'ends\\;',
      ';',
      'list-sessions',
      '-F',
      '#{a}\\;',
    ]);
    await runTmux(
      { socketName: 'sock', socketPath: '/run/s', command: tmux.program, env },
      [['ls']],
      CALL,
    );
    expect(tmux.seen().argv).toEqual(['-S', '/run/s', 'ls']);
    await runTmux({ command: tmux.program, env }, [['ls']], CALL);
    expect(tmux.seen().argv).toEqual(['ls']);
  });

  it("runs tmux in the target's environment only: nothing of this process's reaches it", async () => {
    const tmux = fakeTmux(dir);
    process.env.TMUX_RUNNER_PROBE = 'from this process';
    await runTmux(
      {
        command: tmux.program,
        env: {
          TARGET_ONLY: 'from the target',
          TMUX_TMPDIR: dir,
          HELIOS_SESSION_ID: 'inherited marker',
          ZELLIJ_SESSION_NAME: 'outer',
        },
      },
      [['ls']],
      CALL,
    );
    const { env } = tmux.seen();
    expect(env.TARGET_ONLY).toBe('from the target');
    expect(env.TMUX_TMPDIR).toBe(dir);
    expect(env).not.toHaveProperty('TMUX_RUNNER_PROBE');
    expect(env).not.toHaveProperty('HELIOS_SESSION_ID');
    expect(env).not.toHaveProperty('ZELLIJ_SESSION_NAME');
    expect(env).not.toHaveProperty('HOME');
  });

  it("finds `tmux` on the target's PATH, not this process's", async () => {
    const result = await runTmux({ env: { PATH: dir } }, [['ls']], CALL);
    expect(result).toEqual({ status: 'failed', reason: 'tmux not found on PATH' });
  });

  it('returns the result as a value: exit code and output, a timeout, a cancel', async () => {
    const env = { PATH: process.env.PATH };
    const refused = fakeTmux(dir, { exit: 1 });
    const result = await runTmux({ command: refused.program, env }, [['ls']], CALL);
    expect(result).toEqual({
      status: 'exited',
      exitCode: 1,
      stdout: 'said\n',
      stderr: 'complains\n',
    });
    expect(tmuxStep(result, 'done')).toEqual({ ok: false, reason: 'complains' });
    const hung = fakeTmux(dir, { hang: true });
    expect(await runTmux({ command: hung.program, env }, [['ls']], { timeoutMs: 300 })).toEqual({
      status: 'failed',
      reason: `${hung.program} timed out after 300 ms`,
    });
    const controller = new AbortController();
    const cancelled = runTmux({ command: hung.program, env }, [['ls']], {
      timeoutMs: 5_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    expect(await cancelled).toEqual({ status: 'failed', reason: `${hung.program} was cancelled` });
  });
});

describe('tagCommands: the one marker writer', () => {
  const owner = { workspaceId: 'ws', instanceId: 'i-1', sessionId: 's1' };

  it('tags a session as ours and binds it to an incarnation (create, bind)', () => {
    expect(tagCommands('helios-s1', { ...owner, incarnation: 'inc-2' })).toEqual([
      ['set-option', '-t', '=helios-s1:', '@helios-workspace', 'ws'],
      ['set-option', '-t', '=helios-s1:', '@helios-instance', 'i-1'],
      ['set-option', '-t', '=helios-s1:', '@helios-session-id', 's1'],
      ['set-option', '-t', '=helios-s1:', '@helios-incarnation', 'inc-2'],
    ]);
  });

  it('without an incarnation it marks ownership only (adopt)', () => {
    expect(tagCommands('work', owner)).toEqual([
      ['set-option', '-t', '=work:', '@helios-workspace', 'ws'],
      ['set-option', '-t', '=work:', '@helios-instance', 'i-1'],
      ['set-option', '-t', '=work:', '@helios-session-id', 's1'],
    ]);
  });
});
