import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachBanner } from '../../banner/attach-banner.js';
import { logRenderer } from '../../banner/render-log.js';
import { configure } from '../../controllers/compose.js';
import { controlSocketPath } from '../../controllers/daemon/control-server.js';
import { createEventBus } from '../../controllers/event-bus.js';
import { type Daemon, startDaemon } from '../../controllers/daemon/run-daemon.js';
import { sendControlRequest } from '../../controllers/daemon/control-client.js';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

describe('the daemon, in process: loop, drift, control requests, clean stop', () => {
  let sandbox: Sandbox;
  let daemon: Daemon;
  let log: string;

  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-d1', 'helios-d2']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    const bus = createEventBus();
    log = '';
    attachBanner(bus.events$, logRenderer, (text) => (log += text));
    const config = configure({
      workspace: sandbox.workspaceId,
      stateDir: sandbox.stateDir,
      tmuxSocket: sandbox.socket,
      backend: 'tmux',
    });
    daemon = await startDaemon(config, bus, { intervalMs: 200, checkpointIntervalMs: 500 });
    await waitFor(() => log.includes('Recovery complete'), 10_000, 'LIVE');
  });
  afterEach(async () => {
    await daemon.stop();
    sandbox.cleanup();
  });

  it('drops what the user closed, restores what a crash took, serves open/list/close, and stops cleanly', async () => {
    const checkpointed = () => {
      const document = JSON.parse(readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8'));
      return (document.sessions as { sessionName: string }[]).map((s) => s.sessionName).sort();
    };
    // Closed while its server runs: the user meant it. Never respawned; the checkpoint drops it.
    sandbox.tmux('kill-session', '-t', '=helios-d2:');
    await waitFor(() => checkpointed().join() === 'helios-d1', 5_000, 'helios-d2 dropped');
    expect(log).not.toContain('respawned helios-d2');
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(['helios-d1']);
    // Gone with its server (a kill-server, a crash): restored.
    sandbox.tmux('kill-server');
    await waitFor(() => log.includes('respawned helios-d1'), 5_000, 'helios-d1 restored');
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(['helios-d1']);

    const opened = await runCli([
      'session',
      'open',
      '--cwd',
      sandbox.dir('extra'),
      '--env',
      'K=v',
      ...sandbox.cli,
    ]);
    expect(opened.code, opened.err).toBe(0);
    const id = /id (s-[0-9a-f]+)/.exec(opened.out)![1]!;
    const listed = await runCli(['session', 'list', ...sandbox.cli]);
    expect(listed.out).toContain(`${id}\thelios-${id}\t${join(sandbox.root, 'extra')}`);
    expect((await runCli(['session', 'close', id, ...sandbox.cli])).code).toBe(0);
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(['helios-d1']);

    const bad = await runCli(['session', 'open', '--cwd', '/no/such/dir', ...sandbox.cli]);
    expect(bad).toMatchObject({
      code: 1,
      err: expect.stringMatching(/is not an existing absolute directory/),
    });
    expect((await runCli(['session', 'close', 'nope', ...sandbox.cli])).err).toMatch(
      /no session nope/,
    );
    expect(
      await sendControlRequest(controlSocketPath(sandbox.stateDir), { op: 'explode' }, 5_000),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/request refused: op/) });

    // A session made with plain tmux is the user's too: the loop's autosave captures it.
    sandbox.tmux('new-session', '-d', '-s', 'plain', '-c', sandbox.root);
    await waitFor(() => checkpointed().includes('plain'), 5_000, 'the plain session saved');
    await daemon.stop();
    expect(await daemon.done).toEqual({ code: 0, finalCheckpointProblem: null });
    expect(existsSync(join(sandbox.stateDir, 'helios.lock'))).toBe(false);
    expect((await runCli(['session', 'list', ...sandbox.cli])).err).toMatch(
      /no daemon is serving workspace .*\. Start it with `helios-recover run /,
    );
  });

  it('refuses a second daemon for the same workspace', async () => {
    const second = await startDaemon(
      configure({
        workspace: sandbox.workspaceId,
        stateDir: sandbox.stateDir,
        tmuxSocket: sandbox.socket,
      }),
      createEventBus(),
    );
    expect((await second.done).reason).toMatch(/already running for workspace/);
  });
});
