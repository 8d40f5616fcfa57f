import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientFor } from '../../clients/multiplexer-clients.js';
import type { ExecutorContext } from '../../actions/executor-context.js';
import type { SessionEntrySpec } from '../../specs/checkpoint-spec.js';
import { aSession } from '../support/builders.js';
import { createSandbox, type Sandbox } from '../support/sandbox.js';

const tmux = clientFor('tmux');

/**
 * The tmux driver creates from the plan's observation without listing first: a name taken
 * meanwhile converges only when its tags say it is this very session of ours.
 */
describe('tmux create, bind and kill on real tmux', () => {
  let sandbox: Sandbox;
  let ctx: ExecutorContext;
  beforeEach(() => {
    sandbox = createSandbox();
    ctx = {
      stateDir: sandbox.stateDir,
      workspaceId: sandbox.workspaceId,
      instanceId: 'i-driver',
      incarnation: 'inc-now',
      env: process.env,
      tmux: { socketName: sandbox.socket, env: process.env },
      zellij: { env: process.env },
      timeoutMs: 10_000,
    };
  });
  afterEach(() => sandbox.cleanup());

  const entry = (id: string): SessionEntrySpec =>
    aSession({ sessionId: id, workingDirectory: sandbox.dir(id), shellCommand: ['/bin/sh'] });
  const create = (sessions: SessionEntrySpec[]) =>
    tmux.create(
      ctx,
      sessions.map((session) => ({ session, command: ['/bin/sh'], replacesExited: false })),
    );
  const option = (name: string, key: string) =>
    sandbox.tmux('show-options', '-v', '-t', `=${name}:`, key).trim();
  const panePid = (name: string) => sandbox.tmux('display', '-p', '-t', `=${name}:`, '#{pane_pid}');

  it("a name someone else took meanwhile fails and stays theirs; the batch's others are created", async () => {
    await sandbox.startSessions(['helios-b']);
    const results = await create([entry('a'), entry('b'), entry('c')]);
    expect(results).toEqual([
      { ok: true, message: 'created tmux session helios-a' },
      { ok: false, reason: 'a session named helios-b already exists' },
      { ok: true, message: 'created tmux session helios-c' },
    ]);
    expect(sandbox.tmux('show-options', '-t', '=helios-b:')).not.toMatch(/@helios/);
    for (const name of ['helios-a', 'helios-c']) {
      expect(option(name, '@helios-workspace')).toBe(sandbox.workspaceId);
      expect(option(name, '@helios-incarnation')).toBe('inc-now');
    }
  });

  it('a name that is this session of ours converges: bound to this incarnation, not replaced', async () => {
    await sandbox.startSessions(['helios-mine']);
    const pid = panePid('helios-mine');
    for (const [key, value] of [
      ['@helios-workspace', sandbox.workspaceId],
      ['@helios-instance', 'i-driver'],
      ['@helios-session-id', 'mine'],
      ['@helios-incarnation', 'inc-before'],
    ] as const)
      sandbox.tmux('set-option', '-t', '=helios-mine:', key, value);
    expect(await create([entry('mine')])).toEqual([
      { ok: true, message: 'tmux session helios-mine already exists (converged)' },
    ]);
    expect(option('helios-mine', '@helios-incarnation')).toBe('inc-now');
    expect(panePid('helios-mine')).toBe(pid);
  });

  it('a session of ours under another session id is not this one: it fails', async () => {
    await sandbox.startSessions(['helios-other']);
    sandbox.tmux('set-option', '-t', '=helios-other:', '@helios-workspace', sandbox.workspaceId);
    sandbox.tmux('set-option', '-t', '=helios-other:', '@helios-instance', 'i-driver');
    sandbox.tmux('set-option', '-t', '=helios-other:', '@helios-session-id', 'someone');
    expect(await create([entry('other')])).toEqual([
      { ok: false, reason: 'a session named helios-other already exists' },
    ]);
    expect(option('helios-other', '@helios-session-id')).toBe('someone');
  });

  it("every call runs in the target's environment, whatever the context's own env says", async () => {
    const socketDir = sandbox.dir('sockets');
    const elsewhere = sandbox.dir('elsewhere');
    const tmuxIn = (dir: string, ...args: string[]) =>
      execFileSync('tmux', ['-L', sandbox.socket, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TMUX_TMPDIR: dir },
      });
    const onTarget = (...args: string[]) => tmuxIn(socketDir, ...args);
    ctx = {
      ...ctx,
      env: { ...process.env, TMUX_TMPDIR: elsewhere },
      tmux: { socketName: sandbox.socket, env: { ...process.env, TMUX_TMPDIR: socketDir } },
    };
    try {
      expect((await create([entry('t1')]))[0]).toMatchObject({ ok: true });
      expect(onTarget('ls', '-F', '#S').trim()).toBe('helios-t1');
      expect(await tmux.bind({ ...ctx, incarnation: 'inc-next' }, entry('t1'))).toMatchObject({
        ok: true,
      });
      expect(
        onTarget('show-options', '-v', '-t', '=helios-t1:', '@helios-incarnation').trim(),
      ).toBe('inc-next');
      expect(await tmux.kill(ctx, 'helios-t1')).toEqual({ ok: true, alreadyGone: false });
    } finally {
      for (const dir of [socketDir, elsewhere])
        try {
          tmuxIn(dir, 'kill-server');
        } catch {
          // no server there (or gone with its last session)
        }
    }
  });
});
