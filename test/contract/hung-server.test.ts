import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../specs/checkpoint-codec.js';
import { writeCheckpoint } from '../../store/checkpoint-store.js';
import { killMarked } from '../support/crash.js';
import { runCliProcessWithEnv } from '../support/daemon.js';
import { createSandbox, type Sandbox, waitFor } from '../support/sandbox.js';
import {
  type BackendUnderTest,
  realZellijBinary,
  ZELLIJ_EMULATOR,
  zellijBackend,
} from './backends.js';

const REAL_ZELLIJ = realZellijBinary();
const ZELLIJS: [string, string, boolean][] = [
  ['zellij emulator', ZELLIJ_EMULATOR, true],
  ['real zellij', REAL_ZELLIJ ?? '', REAL_ZELLIJ !== null],
];

/** Longer than the test may take: a run that waits for it fails the test. */
const PATIENT = ['--timeout', '120000'];

function stateOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!;
}

describe.each(ZELLIJS)(
  'one hung zellij server blinds only itself: %s',
  (label, binary, present) => {
    let sandbox: Sandbox;
    let backend: BackendUnderTest;
    const stopped: number[] = [];
    let mute: ChildProcess | null = null;

    const helios = (args: string[]) =>
      runCliProcessWithEnv([...args, ...backend.cli], { ...backend.env, CI: '1' });

    /** Starts `names` as a user would, one at a time (a server must not be probed mid-start). */
    async function start(names: readonly string[]): Promise<Record<string, string>> {
      const dirs: Record<string, string> = {};
      for (const name of names) {
        dirs[name] = sandbox.dir(name);
        backend.start(name, dirs[name]);
        await waitFor(() => backend.panePid(name) !== null, 10_000, `the pane of ${name}`);
      }
      return dirs;
    }

    /** The checkpoint the user took before the hang: `a` and `b` live, `c` gone since. */
    async function checkpointOf(dirs: Record<string, string>) {
      const document = sealCheckpoint({
        workspaceId: sandbox.workspaceId,
        generation: 0,
        createdAt: new Date().toISOString(),
        host: 'contract',
        sessions: Object.entries(dirs).map(([name, dir]) => ({
          sessionId: name.replace('helios-', ''),
          terminalId: name.replace('helios-', ''),
          laneId: null,
          multiplexer: 'zellij' as const,
          sessionName: name,
          workingDirectory: dir,
          environment: { SAVED: name },
          shellCommand: ['/bin/sh'],
          scrollback: `saved screen of ${name}`,
        })),
        lanes: [],
        shareWorkers: [],
      });
      await writeCheckpoint(sandbox.stateDir, document);
      return document;
    }

    /** The newest generation (older ones are kept as `checkpoint.<gen>.json`). */
    const newestCheckpoint = (): { generation: number; sessions: { sessionName: string }[] } =>
      JSON.parse(readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8'));

    beforeEach(() => {
      sandbox = createSandbox();
      backend = zellijBackend(sandbox, binary, label);
    });
    afterEach(async () => {
      // Always resumed first: a stopped server would hang the cleanup's own zellij calls.
      for (const pid of stopped.splice(0)) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // gone
        }
      }
      // Gone before cleanup lists sessions: a live mute listener would hang that listing.
      if (mute && mute.exitCode === null && mute.signalCode === null) {
        const exited = new Promise((resolve) => mute!.once('exit', resolve));
        mute.kill('SIGKILL');
        await exited;
      }
      mute = null;
      backend.cleanup();
      await killMarked(sandbox.workspaceId);
      sandbox.cleanup();
    });

    it.skipIf(!present)(
      'a stopped server: named at once, the others planned and restored, its entry kept, cleanup held back',
      async () => {
        const dirs = await start(['helios-a', 'helios-b']);
        const saved = await checkpointOf({ ...dirs, 'helios-c': sandbox.dir('helios-c') });
        const hung = backend.serverPid('helios-a')!;
        const survivor = backend.panePid('helios-b')!;
        process.kill(hung, 'SIGSTOP');
        stopped.push(hung);
        await waitFor(() => stateOf(hung) === 'T', 5_000, 'the stopped state');

        const plan = await helios(['plan', ...PATIENT]);
        expect(plan.out).toMatch(
          new RegExp(`the zellij server of session helios-a \\(pid ${hung}\\) is stopped`),
        );
        expect(plan.out).toMatch(/reattach.*helios-b|helios-b.*reattach/);
        expect(plan.out).toMatch(/respawn.*helios-c|helios-c.*respawn/);
        expect(plan.out).toMatch(/observation_unavailable|could not be observed/);

        const recovered = await helios(['recover', '--no-wait', ...PATIENT]);
        expect(recovered.code, recovered.out).toBe(3);
        expect(recovered.out).toMatch(/cannot start session helios-c while a server is stopped/);
        expect(recovered.out).toMatch(/Cleanup held back.*helios-a/s);
        expect(backend.panePid('helios-b')).toBe(survivor);
        expect(existsSync(join(sandbox.stateDir, 'bindings', 'zellij.helios-b.json'))).toBe(true);
        expect(existsSync(join(sandbox.stateDir, 'bindings', 'zellij.helios-a.json'))).toBe(false);
        expect(stateOf(hung)).toBe('T'); // never touched

        const checkpoint = await helios(['checkpoint', ...PATIENT]);
        expect(checkpoint.code, checkpoint.out).toBe(0);
        expect(checkpoint.out).toMatch(
          /zellij session helios-a was not observed .*: its entry from checkpoint generation 0 is kept as it was/,
        );
        const written = newestCheckpoint();
        expect(written.generation).toBe(1);
        expect(written.sessions.map((s) => s.sessionName).sort()).toEqual(['helios-a', 'helios-b']);
        expect(written.sessions.find((s) => s.sessionName === 'helios-a')).toEqual(
          saved.sessions.find((s) => s.sessionName === 'helios-a'),
        );

        const clean = await helios(['orphans', 'clean', ...PATIENT]);
        expect(clean.out).toMatch(
          new RegExp(`Cleanup held back: .*blind to .*helios-a \\(pid ${hung}\\)`),
        );
      },
      60_000,
    );

    it.skipIf(!present)(
      'a server that never answers (not stopped): named after one timeout, the others planned',
      async () => {
        const dirs = await start(['helios-b']);
        await checkpointOf(dirs);
        // A listener on a session socket that accepts and never replies: zellij waits on it.
        const socket = join(backend.socketDir!, 'helios-m');
        mute = spawn(
          process.execPath,
          [
            '-e',
            "require('net').createServer(() => {}).listen(process.argv.at(-1))",
            '--',
            '--server',
            socket,
          ],
          { stdio: 'ignore' },
        );
        await waitFor(() => existsSync(socket), 5_000, 'the mute socket');

        const plan = await helios(['plan', '--timeout', '3000']);
        expect(plan.out).toMatch(
          new RegExp(
            `the zellij server of session helios-m \\(pid ${mute.pid}\\) did not answer within 3000 ms`,
          ),
        );
        expect(plan.out).toMatch(/reattach.*helios-b|helios-b.*reattach/);
      },
      60_000,
    );
  },
);
