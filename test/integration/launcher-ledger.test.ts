import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeLaunchScript } from '../../actions/launch-command.js';
import { readProcessSync } from '../../clients/proc-table.js';
import { registerStartedProcess } from '../../controllers/register-process.js';
import { configure } from '../../controllers/workspace-config.js';
import { armLaunchClaim, compactLedger, readBootId, readLedger } from '../../store/ledger-file.js';
import { aSession } from '../support/builders.js';
import { waitFor } from '../support/sandbox.js';

describe('the launcher records what it starts, once', () => {
  let root: string;
  let stateDir: string;
  const children: ChildProcess[] = [];
  const config = () => configure({ workspace: 'test-ledger', stateDir }, process.env);
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'helios-test-ledger-'));
    stateDir = join(root, 'state');
    mkdirSync(stateDir, { mode: 0o700 });
  });
  afterEach(() => {
    for (const child of children.splice(0))
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    rmSync(root, { recursive: true, force: true });
  });

  const run = (script: string, env: NodeJS.ProcessEnv = {}) => {
    const child = spawn('/bin/sh', [script], {
      detached: true,
      stdio: 'ignore',
      env: { PATH: process.env.PATH, ...env },
    });
    children.push(child);
    return child;
  };

  it('records its pid, start time, group, session and boot before it execs; a second run records nothing and starts the user shell', async () => {
    const userShell = join(root, 'user-shell');
    writeFileSync(userShell, `#!/bin/sh\necho "$0 SHELL=$SHELL" > ${root}/second-run\n`, {
      mode: 0o700,
    });
    const session = aSession({ sessionId: 'l1', shellCommand: ['sleep', '600'] });
    const ctx = { ...config(), env: { SHELL: userShell } };
    // A session env may export another IFS (zellij passes the session's env to the launcher).
    const script = await writeLaunchScript(ctx, session, { KEEP: 'yes', IFS: ':' });
    const disarmed = run(script); // written disarmed: a run before the client arms it records nothing
    await waitFor(() => existsSync(join(root, 'second-run')), 5_000, 'the disarmed run');
    await waitFor(() => readProcessSync(disarmed.pid!) === null, 5_000, 'disarmed run done');
    rmSync(join(root, 'second-run'));
    expect(readdirSync(join(stateDir, 'ledger'))).toEqual([]);
    await armLaunchClaim(script); // what the multiplexer client does right before the pane starts
    const first = run(script);
    await waitFor(() => readProcessSync(first.pid!)?.argv.join(' ') === 'sleep 600', 5_000);
    const info = readProcessSync(first.pid!)!;
    const ledger = readLedger(stateDir, readBootId());
    expect(ledger).toEqual({
      status: 'ok',
      items: [
        {
          v: 1,
          pid: info.pid,
          startTime: info.startTime,
          pgid: info.pgid,
          sid: info.sid,
          bootId: readBootId(),
          workspaceId: 'test-ledger',
          instanceId: ctx.instanceId,
          sessionId: 'l1',
          pane: '0',
          role: 'shell',
          argv: ['sleep', '600'],
        },
      ],
    });
    expect(
      statSync(join(stateDir, 'ledger', `${info.pid}-${info.startTime}.json`)).mode & 0o777,
    ).toBe(0o600);
    expect(readFileSync(`/proc/${info.pid}/environ`, 'utf8')).toContain(`SHELL=${userShell}`);

    // Run again (a new zellij pane, a terminal opened in a pane): no claim, no record.
    const second = run(script);
    // The file exists before the user shell's echo has written it: read it once that has exited.
    await waitFor(() => existsSync(join(root, 'second-run')), 5_000, 'the user shell');
    await waitFor(() => readProcessSync(second.pid!) === null, 5_000, 'second run done');
    expect(readFileSync(join(root, 'second-run'), 'utf8').trim()).toBe(
      `${userShell} SHELL=${userShell}`,
    );
    expect(readdirSync(join(stateDir, 'ledger'))).toEqual([`${info.pid}-${info.startTime}.json`]);

    // Written anew for the next respawn and armed by the client, it records once more.
    await writeLaunchScript(ctx, session, {});
    await armLaunchClaim(script);
    const third = run(script);
    await waitFor(() => readProcessSync(third.pid!)?.argv.join(' ') === 'sleep 600', 5_000);
    expect(readdirSync(join(stateDir, 'ledger'))).toHaveLength(2);
  });

  it('reads only whole entries of this boot, refuses a symlinked ledger, and compacts the dead', async () => {
    const dir = join(stateDir, 'ledger');
    mkdirSync(dir, { mode: 0o700 });
    const live = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
    children.push(live);
    await waitFor(() => readProcessSync(live.pid!) !== null, 5_000);
    const entry = await registerStartedProcess(config(), {
      pid: live.pid!,
      role: 'share-worker',
      shareId: 'w1',
    });
    const boot = readBootId()!;
    const other = { ...entry, pid: 99_999_999, bootId: 'another-boot' };
    writeFileSync(join(dir, `${other.pid}-${other.startTime}.json`), JSON.stringify(other));
    writeFileSync(join(dir, '5-5.json'), '{"v":1,"pid":5'); // torn
    writeFileSync(join(dir, '7-7.json'), JSON.stringify({ ...entry, pid: 8 })); // misnamed
    expect(readLedger(stateDir, boot)).toEqual({ status: 'ok', items: [entry] });
    const alive = (e: { pid: number; startTime: number }) =>
      e.pid === entry.pid && e.startTime === entry.startTime;
    expect(await compactLedger(stateDir, boot, alive)).toBe(3);
    expect(readdirSync(dir)).toEqual([`${entry.pid}-${entry.startTime}.json`]);

    rmSync(dir, { recursive: true });
    mkdirSync(join(root, 'elsewhere'));
    symlinkSync(join(root, 'elsewhere'), dir);
    expect(readLedger(stateDir, boot).status).toBe('unavailable');
    expect(readLedger(join(root, 'none'), boot)).toEqual({ status: 'ok', items: [] });
    await expect(
      registerStartedProcess(config(), { pid: 99_999_999, role: 'shell' }),
    ).rejects.toThrow(/not running/);
    await expect(
      registerStartedProcess(config(), { pid: live.pid!, role: 'share-worker' }),
    ).rejects.toThrow(/shareId/);
  });

  it.runIf(process.getuid?.() === 0)(
    'never records another user’s process (uid 65534)',
    async () => {
      const theirs = spawn('sleep', ['600'], {
        detached: true,
        stdio: 'ignore',
        uid: 65534,
        gid: 65534,
      });
      children.push(theirs);
      await waitFor(() => readProcessSync(theirs.pid!) !== null, 5_000);
      await expect(
        registerStartedProcess(config(), { pid: theirs.pid!, role: 'shell' }),
      ).rejects.toThrow(/another user/);
      expect(existsSync(join(stateDir, 'ledger'))).toBe(false);
    },
  );
});
