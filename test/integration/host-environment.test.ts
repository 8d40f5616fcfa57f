import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configure, runCheckpoint, runRecovery } from '../../controllers/compose.js';
import { createSandbox, type Sandbox } from '../support/sandbox.js';

/**
 * A host app hands helios-recover its own environment (`configure(options, env)`); every tmux
 * call of a run must then use it, or sessions are created on one server and looked for on
 * another (`TMUX_TMPDIR` moves the socket of `-L NAME`).
 */
describe('the environment a host app hands over reaches every multiplexer call', () => {
  let sandbox: Sandbox;
  let socketDir: string;
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', sandbox.socket, ...args], {
      encoding: 'utf8',
      env: { ...process.env, TMUX_TMPDIR: socketDir },
    });
  beforeEach(() => {
    sandbox = createSandbox();
    socketDir = sandbox.dir('sockets');
  });
  afterEach(() => {
    try {
      tmux('kill-server');
    } catch {
      // no server left
    }
    sandbox.cleanup();
  });

  it('checkpoints, recovers and verifies on the server its TMUX_TMPDIR names', async () => {
    mkdirSync(join(sandbox.root, 'h1'));
    tmux('new-session', '-d', '-s', 'helios-h1', '-c', join(sandbox.root, 'h1'), 'sh');
    const config = configure(
      {
        workspace: sandbox.workspaceId,
        stateDir: sandbox.stateDir,
        tmuxSocket: sandbox.socket,
        backend: 'tmux',
      },
      { ...process.env, TMUX_TMPDIR: socketDir },
    );
    const checkpoint = await runCheckpoint(config);
    expect(checkpoint.ok && checkpoint.sessions).toEqual(['helios-h1']);
    tmux('kill-server');
    const report = await runRecovery(config);
    expect(report.stage).toBe('LIVE');
    expect(report.sessions.map((s) => [s.sessionName, s.status, s.reason])).toEqual([
      ['helios-h1', 'respawned', 'no_live_session'],
    ]);
    expect(report.withIssues).toBe(false);
    expect(tmux('ls', '-F', '#S').trim()).toBe('helios-h1');
  });
});
