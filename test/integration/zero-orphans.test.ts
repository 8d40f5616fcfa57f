import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crashTmux, ignoringHangup, killMarked, STUBBORN_SHELL } from '../support/crash.js';
import { descendantsOf, isAlive, markedProcesses } from '../support/processes.js';
import { readProcess } from '../../clients/proc-table.js';
import { createSandbox, runCli, type Sandbox, sleep, waitFor } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

/** Marked PTY leaders (session leaders) that belong to no live pane: must be none. */
async function strayLeaders(sandbox: Sandbox): Promise<number[]> {
  const inSessions = descendantsOf(tmuxSessions(sandbox).map((s) => s.panePid));
  const leaders: number[] = [];
  for (const pid of await markedProcesses(sandbox.workspaceId)) {
    const info = await readProcess(pid);
    if (info && info.sid === pid && !inSessions.has(pid)) leaders.push(pid);
  }
  return leaders;
}

describe('after recover, no owned orphan is left, and no user job is killed', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = createSandbox();
    sandbox.tmux(
      'new-session',
      '-d',
      '-s',
      'helios-z1',
      '-c',
      sandbox.dir('z1'),
      ...STUBBORN_SHELL,
    );
    await sandbox.startSessions(['helios-z2']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    // This first, unmarked z1 ignores the hang-up of kill-server: end it here.
    process.kill(tmuxSessions(sandbox).find((s) => s.name === 'helios-z1')!.panePid, 'SIGKILL');
    sandbox.tmux('kill-server');
    expect((await runCli(['recover', ...sandbox.cli])).code).toBe(0);
  });
  afterEach(async () => {
    await killMarked(sandbox.workspaceId);
    sandbox.cleanup();
  });

  it('terminates the PTY leader that survived the crash and flags the nohup job it must not kill', async () => {
    sandbox.tmux(
      'send-keys',
      '-t',
      '=helios-z2:',
      'nohup sleep 888 >/dev/null 2>&1 & disown',
      'Enter',
    );
    /** The marked `sleep 888` job, as /proc shows it. */
    const findJob = async () => {
      for (const pid of await markedProcesses(sandbox.workspaceId)) {
        const info = await readProcess(pid);
        if (info?.argv.join(' ') === 'sleep 888') return info;
      }
      return null;
    };
    await waitFor(async () => (await findJob()) !== null, 5_000, 'the nohup job');
    const { pid: job, startTime: jobStart } = (await findJob())!;
    await ignoringHangup(tmuxSessions(sandbox).find((s) => s.name === 'helios-z1')!.panePid);
    await crashTmux(sandbox); // z1's leader ignores the hang-up; z2's shell dies, its job does not
    expect((await strayLeaders(sandbox)).length).toBe(1);

    const recovered = await runCli(['recover', '--json', ...sandbox.cli]);
    expect(recovered.code, recovered.err).toBe(3); // with issues: the job waits for review
    const report = JSON.parse(recovered.out.trim().split('\n').at(-1)!);
    expect(report.cleanup.terminated).toBe(1);
    // The job waits for review; so does the `sleep 1` of the leader's loop, which shared its
    // group (helios did not start it: the leader was signalled alone).
    expect(report.cleanup.reviewPending).toBeGreaterThanOrEqual(1);
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(['helios-z1', 'helios-z2']);
    expect(await strayLeaders(sandbox)).toEqual([]);
    expect(await isAlive(job, jobStart)).toBe(true);
    const scan = JSON.parse((await runCli(['orphans', '--json', ...sandbox.cli])).out);
    expect(JSON.stringify(scan.needsReview)).toContain(`sleep 888`);
    await sleep(3_500); // past the grace period: nothing came back, the job still runs
    expect(await strayLeaders(sandbox)).toEqual([]);
    expect(await isAlive(job, jobStart)).toBe(true);
    expect((await runCli(['plan', ...sandbox.cli])).code).toBe(0);
  });
});
