import { createWithLauncher } from '../support/zellij-sandbox.js';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutorContext } from '../../actions/executor-context.js';
import { writeLaunchScript } from '../../actions/launch-command.js';
import { observeZellijSessions } from '../../clients/observe-zellij-sessions.js';
import { parseProcStat } from '../../clients/proc-table.js';
import { aSession } from '../support/builders.js';
import { createSandbox, type Sandbox, waitFor } from '../support/sandbox.js';
import {
  type BackendUnderTest,
  realZellijBinary,
  ZELLIJ_EMULATOR,
  zellijBackend,
} from '../contract/backends.js';

const startOf = (pid: number) =>
  parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))!.startTime;

/** A zellij session's identity for review items: its server and its panes, each fenced. */
describe.each([
  ['zellij emulator', ZELLIJ_EMULATOR],
  ['real zellij', realZellijBinary()],
] as const)('zellij session identity on %s', (label, binary) => {
  let sandbox: Sandbox;
  let backend: BackendUnderTest;
  let ctx: ExecutorContext;
  beforeEach(() => {
    sandbox = createSandbox('zellij');
    backend = zellijBackend(sandbox, binary ?? '', label);
    ctx = {
      stateDir: sandbox.stateDir,
      workspaceId: sandbox.workspaceId,
      instanceId: 'i-identity',
      incarnation: 'inc-identity',
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

  it.skipIf(binary === null)('lists the server and every pane with their start times', async () => {
    const session = aSession({ sessionId: 'z1', workingDirectory: sandbox.dir('z1') });
    const script = await writeLaunchScript(ctx, session, {});
    expect(await createWithLauncher(ctx, session, script)).toMatchObject({ ok: true });
    await waitFor(() => backend.panePid('helios-z1') !== null, 5_000, 'pane');
    const observed = await observeZellijSessions(
      { zellij: ctx.zellij, timeoutMs: 10_000, stateDir: sandbox.stateDir },
      undefined,
    );
    expect(observed.status).toBe('ok');
    const live =
      observed.status === 'ok' ? observed.items.find((s) => s.name === 'helios-z1') : undefined;
    const pane = backend.panePid('helios-z1')!;
    expect(live).toMatchObject({ serverPid: expect.any(Number), createdAt: null });
    expect(live!.serverStartTime).toBe(startOf(live!.serverPid!));
    expect(live!.panes).toContainEqual({ pid: pane, startTime: startOf(pane) });
  });
});
