import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  crashTmux,
  ignoringHangup,
  killMarked,
  sandboxMarkers,
  STUBBORN_SHELL,
} from '../support/crash.js';
import { startRun } from '../support/daemon.js';
import { isAlive } from '../support/processes.js';
import { readProcess } from '../../clients/proc-table.js';
import { createSandbox, runCli, type Sandbox, sleep, waitFor } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

/** A checkpointed, recovered (so marked) workspace: helios-w1 runs a stubborn shell. */
async function recoveredWorkspace(sandbox: Sandbox, extra: string[] = []): Promise<void> {
  sandbox.tmux('new-session', '-d', '-s', 'helios-w1', '-c', sandbox.dir('w1'), ...STUBBORN_SHELL);
  await sandbox.startSessions(['helios-w2', ...extra]);
  expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
  process.kill(tmuxSessions(sandbox).find((s) => s.name === 'helios-w1')!.panePid, 'SIGKILL');
  sandbox.tmux('kill-server');
  expect((await runCli(['recover', ...sandbox.cli])).code).toBe(0);
}

/** The pid and start time of a session's active pane process. */
async function paneOf(sandbox: Sandbox, name: string) {
  const pid = tmuxSessions(sandbox).find((s) => s.name === name)!.panePid;
  return { pid, startTime: (await readProcess(pid))!.startTime };
}

describe('never kill live work', () => {
  let sandbox: Sandbox;
  const extraSandboxes: Sandbox[] = [];
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(async () => {
    for (const box of [sandbox, ...extraSandboxes.splice(0)]) {
      await killMarked(box.workspaceId);
      box.cleanup();
    }
  });

  it('keeps every window and pane of a live session, in recover, orphans clean and the daemon', async () => {
    await recoveredWorkspace(sandbox);
    const first = await paneOf(sandbox, 'helios-w2');
    sandbox.tmux('new-window', '-t', '=helios-w2:');
    sandbox.tmux('split-window', '-t', '=helios-w2:');
    await sandbox.panesReady();
    const again = await runCli(['recover', '--json', ...sandbox.cli]);
    expect(JSON.parse(again.out.trim().split('\n').at(-1)!).cleanup.terminated).toBe(0);
    const clean = await runCli(['orphans', 'clean', ...sandbox.cli]);
    expect(clean.out).toMatch(/Orphans: 0 terminated/);
    const daemon = startRun(sandbox, {}, ['--interval', '300']);
    try {
      await daemon.waitFor('LIVE');
      await sleep(4_000); // many passes, orphan scans among them
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
    expect(await isAlive(first.pid, first.startTime)).toBe(true);
    expect(
      sandbox.tmux('list-windows', '-t', '=helios-w2:', '-F', '#I').trim().split('\n'),
    ).toHaveLength(2);
  });

  it('terminates and removes nothing while tmux cannot be seen, and says why', async () => {
    await recoveredWorkspace(sandbox);
    const leader = await paneOf(sandbox, 'helios-w1');
    await ignoringHangup(leader.pid); // the stubborn shell has installed its trap
    await crashTmux(sandbox); // the stubborn leader survives: an owned orphan
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent'; // tmux is not on PATH: its sessions cannot be observed
    let blind;
    try {
      blind = await runCli(['recover', '--no-wait', ...sandbox.cli]);
    } finally {
      process.env.PATH = path;
    }
    expect(blind.code, blind.out + blind.err).toBe(3);
    expect(blind.out).toMatch(/Cleanup held back: nothing terminated or removed while blind to/);
    expect(await isAlive(leader.pid, leader.startTime)).toBe(true);
    const overflow = await runCli(['recover', '--timeout', '99999999999999999999', ...sandbox.cli]);
    expect(overflow.code).toBe(1);
    expect(overflow.err.trim().split('\n')).toHaveLength(1);
    expect(overflow.err).toMatch(/invalid timeout/);
    for (const option of ['--interval', '--checkpoint-interval']) {
      const huge = await runCli(['run', option, '99999999999999999999', ...sandbox.cli]);
      expect(huge.code).toBe(1);
      expect(huge.err.split('\n')[0]).toMatch(/invalid --.*interval .*from 50 to 3600000/);
    }
    expect(await isAlive(leader.pid, leader.startTime)).toBe(true);
    // Once it can see again, the orphan is proven ours and ended.
    const seeing = await runCli(['orphans', 'clean', ...sandbox.cli]);
    expect(seeing.out).toMatch(/Orphans: 1 terminated/);
    expect(await isAlive(leader.pid, leader.startTime)).toBe(false);
  });

  it('kills nothing on the real server when pointed at the wrong socket', async () => {
    await recoveredWorkspace(sandbox);
    const shells = await Promise.all(['helios-w1', 'helios-w2'].map((n) => paneOf(sandbox, n)));
    const wrong = createSandbox();
    extraSandboxes.push(wrong);
    const cli = [...sandbox.cli];
    cli[cli.indexOf('--tmux-socket') + 1] = wrong.socket;
    await runCli(['recover', '--no-wait', ...cli]);
    await runCli(['orphans', 'clean', ...cli]);
    for (const shell of shells) expect(await isAlive(shell.pid, shell.startTime)).toBe(true);
  });

  it('never touches the processes of another state dir or another user with the same workspace id', async () => {
    await recoveredWorkspace(sandbox);
    const twin = createSandbox();
    extraSandboxes.push(twin);
    const twinCli = [...twin.cli];
    twinCli[twinCli.indexOf('--workspace') + 1] = sandbox.workspaceId;
    twin.tmux('new-session', '-d', '-s', 'helios-w1', '-c', twin.dir('w1'), ...STUBBORN_SHELL);
    expect((await runCli(['checkpoint', ...twinCli])).code).toBe(0);
    process.kill(tmuxSessions(twin).find((s) => s.name === 'helios-w1')!.panePid, 'SIGKILL');
    await waitFor(() => tmuxSessions(twin).length === 0, 5_000, 'twin server gone');
    expect((await runCli(['recover', ...twinCli])).code).toBe(0);
    const theirs = await paneOf(twin, 'helios-w1');
    await ignoringHangup(theirs.pid);
    await crashTmux(twin); // the twin's leader is now an orphan: of the twin, not ours
    const ours = await runCli(['orphans', 'clean', ...sandbox.cli]);
    expect(ours.out).toMatch(/Orphans: 0 terminated/);
    expect(await isAlive(theirs.pid, theirs.startTime)).toBe(true);

    if (process.getuid?.() === 0) {
      // Another user's process carrying exactly our markers and our shell's command line.
      const foreign = spawn(STUBBORN_SHELL[0]!, STUBBORN_SHELL.slice(1), {
        detached: true,
        stdio: 'ignore',
        uid: 65534,
        gid: 65534,
        env: { PATH: process.env.PATH, ...sandboxMarkers(sandbox, 'w1') },
      });
      try {
        await waitFor(async () => (await readProcess(foreign.pid!)) !== null, 5_000, 'nobody');
        const start = (await readProcess(foreign.pid!))!.startTime;
        const asRoot = await runCli(['orphans', 'clean', ...sandbox.cli]);
        expect(asRoot.out).toMatch(/Orphans: 0 terminated/);
        expect(await isAlive(foreign.pid!, start)).toBe(true);
      } finally {
        process.kill(-foreign.pid!, 'SIGKILL');
      }
    } else {
      console.warn('second-user check skipped: it needs root to start a process as nobody');
    }
    const twinClean = await runCli(['orphans', 'clean', ...twinCli]);
    expect(twinClean.out).toMatch(/Orphans: 1 terminated/);
    expect(await isAlive(theirs.pid, theirs.startTime)).toBe(false);
  });
});
