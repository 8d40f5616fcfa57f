import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProcessPool, isAlive } from '../support/processes.js';
import { createSandbox, runCli, type Sandbox } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

/**
 * A saved plan is a file anybody who can write its directory can edit. `recover --plan` applies
 * it exactly only while the observed state would plan every one of its actions: an action
 * added to the file is refused before anything is done.
 */
describe('recover --plan: a saved plan asks for nothing the observed state does not', () => {
  let sandbox: Sandbox;
  const pool = createProcessPool();
  beforeEach(async () => {
    sandbox = createSandbox();
    sandbox.tmux('new-session', '-d', '-s', 'helios-p1', '-c', sandbox.dir('p1'));
    await sandbox.panesReady();
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    sandbox.tmux('kill-session', '-t', '=helios-p1:');
  });
  afterEach(() => {
    pool.stopAll();
    sandbox.cleanup();
  });

  const savePlan = async () => {
    const file = join(sandbox.root, 'plan.json');
    expect((await runCli(['plan', '--out', file, ...sandbox.cli])).code).toBe(2);
    return { file, plan: JSON.parse(readFileSync(file, 'utf8')) };
  };

  it('refuses a plan edited to kill a process of the user and delete one of their files', async () => {
    const victim = await pool.start(['sleep', '600']);
    const precious = join(sandbox.dir('home'), 'thesis.tex');
    writeFileSync(precious, 'years of work');
    utimesSync(precious, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const { file, plan } = await savePlan();
    plan.actions.push(
      {
        kind: 'terminate',
        key: `pid:${victim.pid}@${victim.startTime}`,
        wave: 4,
        reason: 'orphan_owned',
        target: {
          type: 'process',
          pid: victim.pid,
          startTime: victim.startTime,
          pgid: -1,
          signal: 'SIGTERM',
          label: 'looks ours',
        },
      },
      {
        kind: 'remove',
        key: `tmp:${precious}`,
        wave: 4,
        reason: 'temp_file_stale',
        path: precious,
      },
    );
    writeFileSync(file, JSON.stringify(plan));
    const applied = await runCli(['recover', '--plan', file, '--no-wait', ...sandbox.cli]);
    expect(applied.code).toBe(1);
    expect(applied.err + applied.out).toMatch(/does not call for/);
    expect(await isAlive(victim.pid, victim.startTime)).toBe(true);
    expect(existsSync(precious)).toBe(true);
    // Refused before anything was done: the session was not respawned either.
    expect(tmuxSessions(sandbox)).toEqual([]);
  });

  it('refuses a plan edited to run another command, and applies the untouched one', async () => {
    const { file, plan } = await savePlan();
    const untouched = JSON.stringify(plan);
    const respawn = plan.actions.find((a: { kind: string }) => a.kind === 'respawn');
    respawn.session.shellCommand = ['/bin/sh', '-c', 'touch /tmp/helios-pwned; exec sh'];
    writeFileSync(file, JSON.stringify(plan));
    const edited = await runCli(['recover', '--plan', file, '--no-wait', ...sandbox.cli]);
    expect(edited.code).toBe(1);
    expect(edited.err + edited.out).toMatch(/does not call for/);
    writeFileSync(file, untouched);
    const applied = await runCli(['recover', '--plan', file, '--no-wait', ...sandbox.cli]);
    expect(applied.code, applied.err + applied.out).toBe(0);
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(['helios-p1']);
  });
});
