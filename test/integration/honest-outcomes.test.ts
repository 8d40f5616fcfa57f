import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../specs/checkpoint-codec.js';
import { writeCheckpoint } from '../../store/checkpoint-store.js';
import {
  type BackendUnderTest,
  realZellijBinary,
  tmuxBackend,
  ZELLIJ_EMULATOR,
  zellijBackend,
} from '../contract/backends.js';
import { killMarked } from '../support/crash.js';
import { runCliProcessWithEnv } from '../support/daemon.js';
import { createSandbox, jsonLines, type Sandbox, waitFor } from '../support/sandbox.js';

describe('honest outcomes: a respawn counts only when the world shows it', () => {
  let sandbox: Sandbox;
  let backend: BackendUnderTest;
  const helios = (args: string[]) =>
    runCliProcessWithEnv([...args, ...backend.cli], { ...backend.env, CI: '1' });

  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(async () => {
    backend.cleanup();
    await killMarked(sandbox.workspaceId);
    sandbox.cleanup();
  });

  it('fails a command that cannot start and one that exits at once, each with its reason', async () => {
    backend = tmuxBackend(sandbox);
    const session = (id: string, shellCommand: string[]) => ({
      sessionId: id,
      terminalId: id,
      laneId: null,
      multiplexer: 'tmux' as const,
      sessionName: `helios-${id}`,
      workingDirectory: sandbox.dir(id),
      environment: {},
      shellCommand,
      scrollback: '',
    });
    await writeCheckpoint(
      sandbox.stateDir,
      sealCheckpoint({
        workspaceId: sandbox.workspaceId,
        generation: 0,
        createdAt: new Date().toISOString(),
        host: 'h',
        sessions: [
          session('ok1', ['/bin/sh']),
          session('nx1', ['/nonexistent/shell']),
          session('ex1', ['/bin/sh', '-c', 'exit 7']),
        ],
        lanes: [],
        shareWorkers: [],
      }),
    );
    const result = await helios(['recover', '--no-wait']);
    expect(result.code, result.out).toBe(3);
    expect(result.out).toMatch(/Sessions: 1 restored, 2 failed \(of 3\)/);
    expect(result.out).toMatch(
      /✗ helios-nx1 {2}command_not_found: cannot start `\/nonexistent\/shell`: \/nonexistent\/shell is not an executable file/,
    );
    expect(result.out).toMatch(
      /✗ helios-ex1 {2}exited_immediately: `\/bin\/sh -c exit 7` exited within/,
    );
    expect(backend.sessions()).toEqual(['helios-ok1']);

    const json = await helios(['recover', '--no-wait', '--json']);
    const report = jsonLines(json.out).find((line) => line.type === 'report') as {
      sessions: { sessionName: string; status: string; reason: string }[];
    };
    expect(
      report.sessions
        .filter((s) => s.status === 'failed')
        .map((s) => [s.sessionName, s.reason])
        .sort(),
    ).toEqual([
      ['helios-ex1', 'exited_immediately'],
      ['helios-nx1', 'command_not_found'],
    ]);
    // status shows the last run, per session, with reason and suggestion (and in --json).
    const status = await helios(['status']);
    // the second run found helios-ok1 in sync (nothing to do) and failed the other two again
    expect(status.out).toMatch(/Last run: +0 restored, 2 failed \(of 2 acted on\)/);
    expect(status.out).toMatch(/✗ helios-ex1 {2}exited_immediately: /);
    expect(status.out).toMatch(/→ Fix the shellCommand of helios-nx1/);
    // Its command carries this workspace's options, so pasting it acts on this workspace.
    const flags = `-w ${sandbox.workspaceId} --state-dir ${sandbox.stateDir} -L ${sandbox.socket} --backend tmux`;
    expect(status.out).toContain(`then run \`helios-recover recover ${flags}\` again`);
    const statusJson = JSON.parse((await helios(['status', '--json'])).out) as {
      lastRun: { sessionName: string; status: string; reason: string }[];
    };
    expect(statusJson.lastRun.find((s) => s.sessionName === 'helios-nx1')).toMatchObject({
      status: 'failed',
      reason: 'command_not_found',
    });
    // Still not restored, and the plan says so (no silent "success" that needs redoing).
    expect((await helios(['plan'])).code).toBe(2);
  });

  it('imports a heliosApp v1 checkpoint written with "/bin/bash -l" and restores a live login shell', async () => {
    const zellij = realZellijBinary() ?? ZELLIJ_EMULATOR;
    backend = zellijBackend(sandbox, zellij, 'zellij');
    const sessions = [
      {
        sessionId: 'v1a',
        terminalId: 't1',
        laneId: null,
        workingDirectory: sandbox.dir('v1a'),
        environmentVariables: { PROJECT: 'v1' },
        scrollbackSnapshot: '',
        zelijjSessionName: 'helios-v1a',
        shellCommand: '/bin/bash -l',
      },
    ];
    const file = join(sandbox.root, 'helios-v1.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        timestamp: Date.now(),
        checksum: createHash('sha256').update(JSON.stringify(sessions)).digest('hex'),
        sessions,
      }),
    );
    const imported = await helios(['import', 'helios-v1', file]);
    expect(imported.code, imported.out).toBe(0);
    const recovered = await helios(['recover', '--no-wait']);
    expect(recovered.code, recovered.out).toBe(0);
    await waitFor(() => backend.panePid('helios-v1a') !== null, 5_000, 'the pane');
    const pid = backend.panePid('helios-v1a')!;
    await waitFor(
      () => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === '/bin/bash\0-l\0',
      5_000,
      'bash -l running',
    );
    expect((await helios(['plan'])).code).toBe(0);
  });
});
