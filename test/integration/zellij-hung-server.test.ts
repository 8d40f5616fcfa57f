import { createZellijSession } from '../../clients/zellij-create.js';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutorContext } from '../../actions/executor-context.js';
import { captureZellijSessions } from '../../clients/capture-zellij-sessions.js';
import { observeZellijSessions } from '../../clients/observe-zellij-sessions.js';
import { killZellijSession } from '../../clients/zellij-driver.js';
import { aSession } from '../support/builders.js';
import { createSandbox, type Sandbox, waitFor } from '../support/sandbox.js';
import {
  type BackendUnderTest,
  realZellijBinary,
  ZELLIJ_EMULATOR,
  zellijBackend,
} from '../contract/backends.js';

const REAL = realZellijBinary();
const BINARIES: [string, string | null][] = [
  ['zellij emulator', ZELLIJ_EMULATOR],
  ['real zellij', REAL],
];

/** The zellij client in process with one server stopped: every call returns, none waits on it. */
describe.each(BINARIES)('zellij client beside a stopped server: %s', (label, binary) => {
  let sandbox: Sandbox;
  let backend: BackendUnderTest;
  let ctx: ExecutorContext;
  let hung = 0;

  beforeEach(async () => {
    if (binary === null) return;
    sandbox = createSandbox('zellij');
    backend = zellijBackend(sandbox, binary, label);
    // Longer than the test may run: a call that waited on the stopped server fails the test.
    ctx = {
      stateDir: sandbox.stateDir,
      workspaceId: sandbox.workspaceId,
      instanceId: 'i-hung',
      incarnation: 'inc-hung',
      tmux: { env: backend.env },
      zellij: { command: binary, env: backend.env },
      env: backend.env,
      timeoutMs: 120_000,
    };
    for (const name of ['helios-a', 'helios-b']) {
      backend.start(name, sandbox.dir(name));
      await waitFor(() => backend.panePid(name) !== null, 10_000, `the pane of ${name}`);
    }
    hung = backend.serverPid('helios-a')!;
    process.kill(hung, 'SIGSTOP');
  });
  afterEach(() => {
    if (binary === null) return;
    process.kill(hung, 'SIGCONT'); // first: a stopped server would hang the cleanup's listing
    backend.cleanup();
    sandbox.cleanup();
  });

  it.skipIf(binary === null)(
    'observes and captures the others, names the stopped one, refuses what would hang',
    async () => {
      const observed = await observeZellijSessions(ctx);
      expect(observed).toMatchObject({
        status: 'ok',
        items: [{ name: 'helios-b', state: 'live', serverPid: backend.serverPid('helios-b') }],
        blind: [
          {
            name: 'helios-a',
            reason: expect.stringContaining(`helios-a (pid ${hung}) is stopped`),
          },
        ],
      });
      const captured = await captureZellijSessions(ctx);
      expect(captured).toMatchObject({
        status: 'ok',
        items: [{ name: 'helios-b' }],
        blind: [{ name: 'helios-a' }],
      });

      const session = aSession({ sessionId: 'c', workingDirectory: sandbox.dir('c') });
      const created = await createZellijSession(ctx, {
        session,
        command: ['/bin/sh'],
        replacesExited: false,
      });
      expect(created).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/cannot start session helios-c while a server is stopped/),
      });
      expect(await killZellijSession(ctx, 'helios-a')).toMatchObject({
        ok: false,
        reason: expect.stringContaining(`(pid ${hung}) is stopped`),
      });
      expect(await killZellijSession(ctx, 'helios-b')).toEqual({ ok: true, alreadyGone: false });
      expect(backend.serverPid('helios-b')).toBeNull();
      // Every private socket view is gone again.
      const base = dirname(backend.socketDir!);
      expect(readdirSync(base).filter((name) => name.startsWith('.hv-'))).toEqual([]);
    },
    60_000,
  );
});
