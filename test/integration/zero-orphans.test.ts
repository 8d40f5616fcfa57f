import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { descendantsOf, markedProcesses } from '../support/processes.js';
import { createSandbox, runCli, type Sandbox, sleep, waitFor } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

/** Processes with this workspace's marker that belong to no live pane: must be none. */
async function strays(sandbox: Sandbox): Promise<number[]> {
  const inSessions = descendantsOf(tmuxSessions(sandbox).map((s) => s.panePid));
  return (await markedProcesses(sandbox.workspaceId)).filter((pid) => !inSessions.has(pid));
}

describe('after recover, no owned orphan is left', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-z1', 'helios-z2']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    sandbox.tmux('kill-server');
    expect((await runCli(['recover', ...sandbox.cli])).code).toBe(0);
  });
  afterEach(() => sandbox.cleanup());

  it('terminates the survivors of a crashed server (they ignore SIGHUP) and keeps the restored shells', async () => {
    // In each restored shell, a background job that survives its terminal going away.
    for (const name of ['helios-z1', 'helios-z2']) {
      sandbox.tmux(
        'send-keys',
        '-t',
        `=${name}:`,
        `sh -c 'trap "" HUP TERM; while :; do sleep 1; done' &`,
        'Enter',
      );
    }
    await waitFor(
      async () => (await markedProcesses(sandbox.workspaceId)).length >= 6,
      5_000,
      'background jobs',
    );
    await sleep(500); // let the jobs install their traps before the crash
    sandbox.tmux('kill-server'); // the crash: shells die of SIGHUP, the jobs do not
    await waitFor(async () => tmuxSessions(sandbox).length === 0, 5_000, 'server gone');
    expect((await strays(sandbox)).length).toBeGreaterThanOrEqual(2);

    const recovered = await runCli(['recover', '--json', ...sandbox.cli]);
    expect(recovered.code, recovered.err).toBe(0);
    const report = JSON.parse(recovered.out.trim().split('\n').at(-1)!);
    expect(report.cleanup.terminated).toBeGreaterThanOrEqual(2);
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(['helios-z1', 'helios-z2']);
    expect(await strays(sandbox)).toEqual([]);
    await sleep(3_500); // past the grace period: nothing came back
    expect(await strays(sandbox)).toEqual([]);
    expect((await runCli(['plan', ...sandbox.cli])).code).toBe(0);
  });
});
