import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readProcessSync, readProcessTable } from '../../clients/proc-table.js';
import { sealCheckpoint } from '../../specs/checkpoint-codec.js';
import { writeCheckpoint } from '../../store/checkpoint-store.js';
import { killMarked } from '../support/crash.js';
import { runCliProcessWithEnv } from '../support/daemon.js';
import { createSandbox, type Sandbox, waitFor } from '../support/sandbox.js';
import { readEnviron } from '../support/tmux-facts.js';
import {
  type BackendUnderTest,
  realZellijBinary,
  tmuxBackend,
  ZELLIJ_EMULATOR,
  zellijBackend,
} from './backends.js';

const REAL_ZELLIJ = realZellijBinary();
const BACKENDS: [string, (sandbox: Sandbox) => BackendUnderTest, boolean][] = [
  ['tmux', tmuxBackend, true],
  ['zellij emulator', (s) => zellijBackend(s, ZELLIJ_EMULATOR, 'zellij emulator'), true],
  ['real zellij', (s) => zellijBackend(s, REAL_ZELLIJ ?? '', 'real zellij'), REAL_ZELLIJ !== null],
];

/** A terminal window opened from a pane: a program that forks a pty and runs `$SHELL` on it. */
const TERMINAL = [
  '-c',
  [
    'import os, pty',
    'pid, fd = pty.fork()',
    'if pid == 0: os.execv(os.environ["SHELL"], [os.environ["SHELL"]])',
    'while True:',
    '  try: os.read(fd, 1024)',
    '  except OSError: break',
  ].join('\n'),
];

describe.each(BACKENDS)('a terminal opened from a restored pane: %s', (_label, make, present) => {
  let sandbox: Sandbox;
  let backend: BackendUnderTest;
  const terminals: ChildProcess[] = [];
  beforeEach(() => {
    sandbox = createSandbox();
    backend = make(sandbox);
  });
  afterEach(async () => {
    for (const terminal of terminals.splice(0))
      try {
        process.kill(-terminal.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    backend.cleanup();
    await killMarked(sandbox.workspaceId);
    sandbox.cleanup();
  });
  const helios = (args: string[]) =>
    runCliProcessWithEnv([...args, ...backend.cli], { ...backend.env, CI: '1' });

  it.skipIf(!present)(
    'is never taken for the pane helios started: the crash of the server leaves its shell alive',
    async () => {
      await writeCheckpoint(
        sandbox.stateDir,
        sealCheckpoint({
          workspaceId: sandbox.workspaceId,
          generation: 1,
          createdAt: new Date().toISOString(),
          host: 'contract',
          sessions: [
            {
              sessionId: 't1',
              terminalId: 't1',
              laneId: null,
              multiplexer: backend.multiplexer,
              sessionName: 'helios-t1',
              workingDirectory: sandbox.dir('t1'),
              environment: {},
              shellCommand: ['/bin/sh'],
              scrollback: '',
            },
          ],
          lanes: [],
          shareWorkers: [],
        }),
      );
      const first = await helios(['recover', '--no-wait']);
      expect(first.code, first.out).toBe(0);
      await waitFor(
        () => readProcessSync(backend.panePid('helios-t1') ?? 0)?.argv[0] === '/bin/sh',
        10_000,
        'the pane runs its shell',
      );
      const pane = backend.panePid('helios-t1')!;
      // What a user's terminal emulator would inherit: the pane's environment, markers and all.
      const terminal = spawn('/usr/bin/python3', TERMINAL, {
        env: readEnviron(pane),
        detached: true,
        stdio: 'ignore',
      });
      terminals.push(terminal);
      const shellOf = async () =>
        (await readProcessTable()).find(
          (p) => p.ppid === terminal.pid && p.argv[0]?.endsWith('sh') && p.argv.length === 1,
        );
      await waitFor(async () => (await shellOf()) !== undefined, 10_000, 'the window shell');
      const shell = (await shellOf())!;
      expect(readEnviron(shell.pid).SHELL).not.toMatch(/launch/);

      backend.crash(['helios-t1']);
      await waitFor(() => !backend.sessions().includes('helios-t1'), 10_000, 'the crash');
      const again = await helios(['recover', '--no-wait']);
      expect(again.out).toMatch(/Orphans: 0 terminated/);
      expect(readProcessSync(shell.pid)?.startTime).toBe(shell.startTime);
    },
  );
});
