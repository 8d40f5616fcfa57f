import { createZellijSession } from '../../clients/zellij-create.js';
import { createWithLauncher } from '../support/zellij-sandbox.js';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutorContext } from '../../actions/executor-context.js';
import { writeLaunchScript } from '../../actions/launch-command.js';
import { killZellijSession } from '../../clients/zellij-driver.js';
import { executeReattaches, executeRespawns } from '../../actions/execute-sessions.js';
import { captureZellijWindows } from '../../clients/capture-zellij-windows.js';
import { aSession } from '../support/builders.js';
import { createSandbox, type Sandbox, waitFor } from '../support/sandbox.js';
import { readEnviron } from '../support/tmux-facts.js';
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

/** The zellij driver in process (its branches counted), against a real zellij process tree. */
describe.each(BINARIES)('zellij driver on %s', (label, binary) => {
  let sandbox: Sandbox;
  let backend: BackendUnderTest;
  let ctx: ExecutorContext;

  beforeEach(() => {
    sandbox = createSandbox('zellij');
    backend = zellijBackend(sandbox, binary ?? '', label);
    ctx = {
      stateDir: sandbox.stateDir,
      workspaceId: sandbox.workspaceId,
      instanceId: 'i-driver',
      incarnation: 'inc-driver',
      tmux: { env: backend.env },
      zellij: { command: binary ?? undefined, env: backend.env },
      env: backend.env,
      timeoutMs: 10_000,
    };
  });
  afterEach(() => {
    backend.cleanup();
    sandbox.cleanup();
  });

  it.skipIf(binary === null)(
    'creates, captures, kills (waiting until gone) and replaces a session',
    async () => {
      const session = aSession({
        sessionId: 'd1',
        workingDirectory: sandbox.dir('d1'),
        environment: { KEEP: 'me' },
        scrollback: 'driver scrollback',
      });
      const script = await writeLaunchScript(ctx, session, {
        KEEP: 'me',
        HELIOS_SESSION_ID: 'd1',
      });
      expect(await createWithLauncher(ctx, session, script)).toMatchObject({ ok: true });
      expect(await createWithLauncher(ctx, session, script)).toMatchObject({
        ok: true,
        message: expect.stringMatching(/already exists \(converged\)/),
      });
      await waitFor(() => backend.panePid('helios-d1') !== null, 5_000, 'pane');
      const pid = backend.panePid('helios-d1')!;
      await waitFor(() => readEnviron(pid).KEEP === 'me', 5_000, 'the launcher env');
      await waitFor(
        async () =>
          JSON.stringify(
            await captureZellijWindows(ctx.zellij, 'helios-d1', session.workingDirectory, 5_000),
          ).includes('driver scrollback'),
        5_000,
        'scrollback dump',
      );
      expect(await killZellijSession(ctx, 'helios-d1')).toEqual({ ok: true, alreadyGone: false });
      expect(backend.sessions()).toEqual([]);
      expect(await killZellijSession(ctx, 'helios-d1')).toEqual({ ok: true, alreadyGone: true });
      expect(
        await captureZellijWindows(ctx.zellij, 'helios-d1', session.workingDirectory, 5_000),
      ).toMatchObject({ ok: false, reason: expect.stringMatching(/There is no active session!/) });
      // An EXITED (or absent) session of the name is deleted first, then created anew.
      const again = await writeLaunchScript(ctx, session, { KEEP: 'again' });
      expect(await createWithLauncher(ctx, session, again, true)).toMatchObject({ ok: true });
      await waitFor(() => backend.panePid('helios-d1') !== null, 5_000, 'pane again');
      expect(readFileSync(`/proc/${backend.panePid('helios-d1')}/cmdline`, 'utf8')).toBeTruthy();
    },
  );

  it.skipIf(binary === null)(
    'respawns through the executor (one bad name fails alone), then reattaches the survivor',
    async () => {
      const good = aSession({
        sessionId: 'e1',
        workingDirectory: sandbox.dir('e1'),
        multiplexer: 'zellij',
      });
      const bad = aSession({
        sessionId: 'e2',
        sessionName: `helios-${'y'.repeat(150)}`,
        workingDirectory: sandbox.dir('e2'),
        multiplexer: 'zellij',
      });
      const gone = aSession({
        sessionId: 'e3',
        workingDirectory: `${sandbox.root}/no/such/dir`,
        multiplexer: 'zellij',
      });
      const respawn = (session: typeof good) => ({
        kind: 'respawn' as const,
        key: `session:${session.sessionId}`,
        wave: 3,
        reason: 'no_live_session' as const,
        backend: 'zellij' as const,
        session,
        replacesExited: false,
      });
      const outcomes = await executeRespawns([respawn(good), respawn(bad), respawn(gone)], ctx);
      expect(outcomes.map((o) => [o.key, o.status, o.reason])).toEqual([
        ['session:e1', 'succeeded', 'no_live_session'],
        ['session:e2', 'failed', 'respawn_failed'],
        ['session:e3', 'failed', 'cwd_missing'],
      ]);
      const [reattached] = await executeReattaches(
        [
          {
            kind: 'reattach',
            key: 'session:e1',
            wave: 1,
            reason: 'session_survived',
            backend: 'zellij',
            session: good,
          },
        ],
        ctx,
      );
      expect(reattached).toMatchObject({ status: 'succeeded', restoredAs: 'reattached' });
    },
  );

  it.skipIf(binary === null)(
    'fails a name too long for its socket before running zellij',
    async () => {
      const session = aSession({
        sessionId: 'long',
        sessionName: `helios-${'x'.repeat(150)}`,
        workingDirectory: sandbox.dir('long'),
      });
      const result = await createZellijSession(ctx, {
        session,
        command: ['/bin/sh'],
        replacesExited: false,
      });
      expect(result).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/too long: its socket path .* bytes, at most 107 fit/),
      });
      expect(backend.sessions()).toEqual([]);
    },
  );

  it.skipIf(binary === null)(
    'converges on a live server of the name without asking zellij to attach again',
    async () => {
      // zellij's own "already exists" check connects to the socket: a busy server answering late
      // is taken as absent. A server the process table shows is never attached to again.
      const log = `${sandbox.root}/zellij-calls.log`;
      const wrapper = `${sandbox.dir('bin')}/zellij`;
      writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${binary}' "$@"\n`);
      chmodSync(wrapper, 0o755);
      const wrapped: ExecutorContext = { ...ctx, zellij: { ...ctx.zellij, command: wrapper } };
      const session = aSession({ sessionId: 'w1', workingDirectory: sandbox.dir('w1') });
      const script = await writeLaunchScript(ctx, session, {});
      expect(await createWithLauncher(wrapped, session, script)).toMatchObject({
        ok: true,
        message: 'created zellij session helios-w1',
      });
      expect(await createWithLauncher(wrapped, session, script)).toMatchObject({
        ok: true,
        message: expect.stringMatching(/already exists \(converged\)/),
      });
      const attaches = readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line.includes('attach'));
      expect(attaches).toEqual([
        expect.stringMatching(/^--layout \S+\/w1\.kdl attach --create-background helios-w1$/),
      ]);
    },
  );
});
