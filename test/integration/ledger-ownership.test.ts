import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { readProcessSync, readProcessTable } from '../../clients/proc-table.js';
import { sealCheckpoint } from '../../specs/checkpoint-codec.js';
import { writeCheckpoint } from '../../store/checkpoint-store.js';
import { crashTmux, killMarked } from '../support/crash.js';
import { isAlive } from '../support/processes.js';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';
import { readEnviron, tmuxSessions } from '../support/tmux-facts.js';

/*
 * Ownership is the ledger: markers are inherited by everything a pane starts, so a user's job,
 * a detached shell or a terminal opened from a pane carries them too. Each test reproduces one
 * way the marker-based model killed live work, on real tmux with real signals.
 */

type Identity = { pid: number; ppid: number; startTime: number; argv: readonly string[] };

/** Live processes whose argv is exactly `argv`. */
async function running(argv: readonly string[]): Promise<Identity[]> {
  return (await readProcessTable()).filter(
    (p) => p.argv.length === argv.length && p.argv.every((word, i) => word === argv[i]),
  );
}

/** The child of `parent` running `argv`, once it runs. */
async function childRunning(parent: number, argv: readonly string[]): Promise<Identity> {
  const find = async () => (await running(argv)).find((p) => p.ppid === parent);
  await waitFor(async () => (await find()) !== undefined, 10_000, argv.join(' '));
  return (await find())!;
}

/** The session's pane, once it has exec'd `argv` (the launcher execs a moment after the pane starts). */
async function paneRunning(sandbox: Sandbox, name: string, argv: readonly string[]) {
  await waitFor(
    () => {
      const pane = tmuxSessions(sandbox).find((s) => s.name === name);
      const info = pane && readProcessSync(pane.panePid);
      return info?.argv.join('\0') === argv.join('\0');
    },
    10_000,
    `${name} running ${argv.join(' ')}`,
  );
  const pane = tmuxSessions(sandbox).find((s) => s.name === name)!;
  return { pid: pane.panePid, env: readEnviron(pane.panePid) };
}

/** Checkpoint a live session running `argv`, crash, recover: the pane is now one helios started. */
async function restoredSession(sandbox: Sandbox, name: string, argv: string[]) {
  sandbox.tmux('new-session', '-d', '-s', name, '-c', sandbox.dir(name), ...argv);
  await paneRunning(sandbox, name, argv);
  const checkpoint = await runCli(['checkpoint', ...sandbox.cli]);
  expect(checkpoint.code, checkpoint.err).toBe(0);
  await crashTmux(sandbox);
  const recovered = await runCli(['recover', ...sandbox.cli]);
  expect(recovered.code, recovered.out + recovered.err).toBe(0);
  return paneRunning(sandbox, name, argv);
}

const kill = (pids: Iterable<number>) => {
  for (const pid of pids)
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
};

describe('ownership is proven by the ledger of what helios started', () => {
  let sandbox: Sandbox;
  const started = new Set<number>();
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(async () => {
    kill(started);
    started.clear();
    await killMarked(sandbox.workspaceId);
    sandbox.cleanup();
  });

  it('ends a stubborn recorded leader alone: its nohup, & and env -i jobs survive and are flagged', async () => {
    const jobs = [
      ['sleep', '1001'],
      ['sleep', '1002'],
      ['sleep', '1003'],
    ];
    const script =
      'trap "" HUP TERM; nohup sleep 1001 >/dev/null 2>&1 & sleep 1002 & env -i sleep 1003 & wait';
    // The run the user started before the crash ignores HUP too, leader and jobs: nobody ends
    // them (they are not ours), so the test does, by their exact command lines.
    onTestFinished(async () => {
      for (const argv of [...jobs, ['sh', '-c', script]])
        kill((await running(argv)).map((p) => p.pid));
    });
    const before = await Promise.all(jobs.map(running));
    const pane = await restoredSession(sandbox, 'helios-j1', ['sh', '-c', script]);
    const leader = { pid: pane.pid, startTime: readProcessSync(pane.pid)!.startTime };
    const survivors = await Promise.all(jobs.map((job) => childRunning(pane.pid, job)));
    for (const job of [...survivors, ...before.flat()]) started.add(job.pid);
    const ledger = readdirSync(join(sandbox.stateDir, 'ledger'));
    expect(ledger).toContain(`${leader.pid}-${leader.startTime}.json`);

    await crashTmux(sandbox); // the leader ignores HUP and TERM: an orphan helios started
    const recovered = await runCli(['recover', '--json', ...sandbox.cli]);
    const report = JSON.parse(recovered.out.trim().split('\n').at(-1)!);
    expect(report.cleanup.terminated, recovered.out).toBe(1);
    expect(await isAlive(leader.pid, leader.startTime)).toBe(false);
    for (const job of survivors) expect(await isAlive(job.pid, job.startTime)).toBe(true);
    const orphans = await runCli(['orphans', '--json', ...sandbox.cli]);
    for (const job of jobs) expect(orphans.out).toContain(job.join(' '));
  });

  it("never ends a recorded pane that exec'd into another program: it is for review", async () => {
    // The pane helios starts runs a script that replaces itself with a HUP-ignoring job: the
    // same pid and start time as recorded, another program (`exec nohup ...` typed in a shell).
    const command = ['sh', '-c', 'trap "" HUP TERM; exec sleep 1004'];
    await writeCheckpoint(
      sandbox.stateDir,
      sealCheckpoint({
        workspaceId: sandbox.workspaceId,
        generation: 1,
        createdAt: new Date().toISOString(),
        host: 'test',
        sessions: [
          {
            sessionId: 'x1',
            terminalId: 'x1',
            laneId: null,
            multiplexer: 'tmux',
            sessionName: 'helios-x1',
            workingDirectory: sandbox.dir('x1'),
            environment: {},
            shellCommand: command,
            scrollback: '',
          },
        ],
        lanes: [],
        shareWorkers: [],
      }),
    );
    await runCli(['recover', ...sandbox.cli]);
    const pane = await paneRunning(sandbox, 'helios-x1', ['sleep', '1004']);
    const job = { pid: pane.pid, startTime: readProcessSync(pane.pid)!.startTime };
    started.add(job.pid);
    const entry = JSON.parse(
      readFileSync(join(sandbox.stateDir, 'ledger', `${job.pid}-${job.startTime}.json`), 'utf8'),
    );
    expect(entry.argv).toEqual(command);
    await crashTmux(sandbox);
    const recovered = await runCli(['recover', ...sandbox.cli]);
    expect(recovered.out).toMatch(/Orphans: 0 terminated/);
    expect(await isAlive(job.pid, job.startTime)).toBe(true);
    const orphans = await runCli(['orphans', '--json', ...sandbox.cli]);
    expect(orphans.out).toMatch(/now runs something else/);
  });

  it('never ends a shell detached from a pane with dtach, nor one a pty-forking program started', async () => {
    const pane = await restoredSession(sandbox, 'helios-d1', ['bash', '--norc', '-i']);
    const socket = join(sandbox.root, 'dtach.sock');
    // What the user typed in the pane: the inherited markers, its own session, the same argv.
    expect(
      spawnSync('dtach', ['-n', socket, 'bash', '--norc', '-i'], { env: pane.env }).status,
    ).toBe(0);
    const forker = spawn(
      'python3',
      [
        '-c',
        'import os, pty, sys\npid, fd = pty.fork()\nif pid == 0: os.execvp("bash", ["bash", "--norc", "-i"])\nwhile True:\n  try: os.read(fd, 1024)\n  except OSError: break',
      ],
      { env: { ...pane.env, PATH: '/usr/bin:/bin' }, detached: true, stdio: 'ignore' },
    );
    started.add(forker.pid!);
    await waitFor(
      async () => (await running(['bash', '--norc', '-i'])).length >= 3,
      10_000,
      'detached shells',
    );
    const shells = (await running(['bash', '--norc', '-i'])).filter((p) => p.pid !== pane.pid);
    for (const shell of shells) started.add(shell.pid);
    for (const p of await readProcessTable()) if (p.comm === 'dtach') started.add(p.pid);
    expect(shells).toHaveLength(2);

    await crashTmux(sandbox);
    const recovered = await runCli(['recover', ...sandbox.cli]);
    expect(recovered.out, recovered.out).toMatch(/Orphans: 0 terminated/);
    for (const shell of shells) expect(await isAlive(shell.pid, shell.startTime)).toBe(true);
    const dry = await runCli(['orphans', '--dry-run', ...sandbox.cli]);
    expect(dry.out).not.toMatch(/Safe to clean/);
  });

  it('keeps a GNU screen started inside a pane, and the shell in its window', async () => {
    const pane = await restoredSession(sandbox, 'helios-s1', ['/bin/bash', '--norc', '-i']);
    const screenDir = sandbox.dir('screens');
    spawnSync('chmod', ['700', screenDir]);
    const env = { ...pane.env, SCREENDIR: screenDir, SHELL: '/bin/bash' };
    expect(spawnSync('screen', ['-dmS', 'work', '/bin/bash', '--norc', '-i'], { env }).status).toBe(
      0,
    );
    const window = await waitFor(
      async () => (await running(['/bin/bash', '--norc', '-i'])).length === 2,
      10_000,
      'screen window',
    ).then(async () =>
      (await running(['/bin/bash', '--norc', '-i'])).find((p) => p.pid !== pane.pid)!,
    );
    const server = (await readProcessTable()).find((p) => p.comm.toLowerCase() === 'screen')!;
    started.add(window.pid).add(server.pid);

    await crashTmux(sandbox);
    const recovered = await runCli(['recover', ...sandbox.cli]);
    expect(recovered.out).toMatch(/Orphans: 0 terminated/);
    expect(await isAlive(window.pid, window.startTime)).toBe(true);
    expect(await isAlive(server.pid, server.startTime)).toBe(true);
  });
});
