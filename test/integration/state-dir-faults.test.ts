import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/daemon.js';
import { crashTmux, killMarked } from '../support/crash.js';
import { createSandbox, runCli, type Sandbox } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

const NOBODY = 65534;
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at |SonicBoom|node:internal/m);

/** Whether this machine lets the suite mount a tmpfs (root in a container that allows it). */
function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = `/tmp/helios-mount-probe-${process.pid}`;
  mkdirSync(probe, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
const MOUNTABLE = canMountTmpfs();
if (!MOUNTABLE)
  console.warn(
    'state-dir-faults: ENOSPC/EROFS cases skipped: tmpfs cannot be mounted here (needs root)',
  );

describe('a state dir that cannot be written: restore anyway, warn once, exit 3', () => {
  let sandbox: Sandbox;
  let mounted: string | null = null;

  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-f1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    await crashTmux(sandbox);
  });
  afterEach(async () => {
    if (mounted) execFileSync('umount', [mounted]);
    mounted = null;
    await killMarked(sandbox.workspaceId);
    sandbox.cleanup();
  });

  /** Moves the state dir onto a fresh tmpfs of `size`, keeping its checkpoint. */
  function stateOnTmpfs(size: string): void {
    const saved = join(sandbox.root, 'checkpoint.copy');
    copyFileSync(join(sandbox.stateDir, 'checkpoint.json'), saved);
    rmSync(sandbox.stateDir, { recursive: true });
    mkdirSync(sandbox.stateDir, { mode: 0o700 });
    execFileSync('mount', [
      '-t',
      'tmpfs',
      '-o',
      `size=${size},mode=0700`,
      'tmpfs',
      sandbox.stateDir,
    ]);
    mounted = sandbox.stateDir;
    copyFileSync(saved, join(sandbox.stateDir, 'checkpoint.json'));
  }

  it.skipIf(!MOUNTABLE)('full (ENOSPC): the session comes back, one warning, exit 3', async () => {
    stateOnTmpfs('64k');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${join(sandbox.stateDir, 'filler')}`, 'bs=4k'], {
        stdio: 'ignore',
      });
    } catch {
      // dd stops at ENOSPC: that is the point
    }
    const result = await runCliProcess(['recover', '--no-wait', ...sandbox.cli]);
    expect(result.code, result.out).toBe(3);
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(['helios-f1']);
    expect(result.out.match(/State not saved: .*ENOSPC/g)).toHaveLength(1);
    expect(result.out).toMatch(/Cleanup held back: .*state dir/);
    noStack(result.out);
  });

  it.skipIf(!MOUNTABLE)(
    'read-only (EROFS): the session comes back, one warning, exit 3',
    async () => {
      stateOnTmpfs('1m');
      execFileSync('mount', ['-o', 'remount,ro', sandbox.stateDir]);
      const result = await runCliProcess(['recover', '--no-wait', ...sandbox.cli]);
      expect(result.code, result.out).toBe(3);
      expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(['helios-f1']);
      expect(result.out.match(/State not saved: .*EROFS/g)).toHaveLength(1);
      noStack(result.out);
    },
  );

  it('a state dir that does not exist yet is made 0700, with no warning', async () => {
    const fresh = join(sandbox.root, 'fresh', 'state');
    const cli = [...sandbox.cli, '--state-dir', fresh];
    const result = await runCliProcess(['recover', '--no-wait', ...cli]);
    expect(result.out).toMatch(/no checkpoint in /);
    expect(result.out).not.toMatch(/State not saved|warning/);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    expect(statSync(join(fresh, 'audit.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('a file where the state dir should be: one line, exit 1, nothing else', async () => {
    rmSync(sandbox.stateDir, { recursive: true });
    writeFileSync(sandbox.stateDir, 'not a dir');
    const result = await runCliProcess(['recover', '--no-wait', ...sandbox.cli]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/is not a directory/);
    noStack(result.out);
  });

  it('audit log symlinked elsewhere: not followed, target untouched, exit 3', async () => {
    const victim = join(sandbox.root, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(sandbox.stateDir, 'audit.jsonl'));
    const result = await runCliProcess(['recover', '--no-wait', ...sandbox.cli]);
    expect(result.code, result.out).toBe(3);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(result.out).toMatch(/State not saved: audit log .* ELOOP/);
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(['helios-f1']);
  });
});

describe('a state dir you can trust', () => {
  let sandbox: Sandbox;
  const canary = () => join(sandbox.root, 'pwned');

  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-g1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    await crashTmux(sandbox);
    // A checkpoint command that would leave a canary if it ever ran.
    const file = join(sandbox.stateDir, 'checkpoint.json');
    const { decodeCheckpoint, sealCheckpoint } = await import('../../specs/checkpoint-codec.js');
    const decoded = decodeCheckpoint(readFileSync(file, 'utf8'));
    if (!decoded.ok) throw new Error(decoded.reason);
    const sessions = decoded.desired.sessions.map(({ checksum: _c, ...s }) => ({
      ...s,
      shellCommand: ['/bin/sh', '-c', `touch ${canary()}; exec sh`],
      scrollback: 'saved output', // a launcher is written for it
    }));
    const document = sealCheckpoint({ ...decoded.desired, sessions, lanes: [], shareWorkers: [] });
    writeFileSync(file, JSON.stringify(document));
  });
  afterEach(async () => {
    await killMarked(sandbox.workspaceId);
    sandbox.cleanup();
  });

  it.skipIf(process.getuid?.() !== 0)(
    'refuses a state dir another user owns: their checkpoint never runs as root',
    async () => {
      execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, sandbox.stateDir]);
      for (const command of [['recover', '--no-wait'], ['plan'], ['run']]) {
        const result = await runCliProcess([...command, ...sandbox.cli]);
        expect(result.code, `${command}: ${result.out}`).toBe(1);
        expect(result.out).toMatch(/belongs to uid 65534, not to you \(uid 0\)/);
        noStack(result.out);
      }
      expect(existsSync(canary())).toBe(false);
      expect(tmuxSessions(sandbox)).toEqual([]);
    },
  );

  it('refuses a state dir others may write, naming the fix', async () => {
    chmodSync(sandbox.stateDir, 0o777);
    const result = await runCliProcess(['recover', '--no-wait', ...sandbox.cli]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/writable by group or others \(mode 777\): run `chmod 700 /);
    expect(existsSync(canary())).toBe(false);
  });

  it('replaces planted launcher symlinks instead of writing through them; every file 0600', async () => {
    const launch = join(sandbox.stateDir, 'launch');
    mkdirSync(launch, { mode: 0o700 });
    const victim = join(sandbox.root, 'victim.sh');
    writeFileSync(victim, 'precious\n');
    const id = sessionIdOf(sandbox);
    symlinkSync(victim, join(launch, `${id}.sh`));
    symlinkSync(victim, join(launch, `${id}.scrollback`));
    const result = await runCliProcess(['recover', '--no-wait', ...sandbox.cli]);
    expect(result.code, result.out).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(tmuxSessions(sandbox).map((s) => s.name)).toEqual(['helios-g1']);
    expect(statSync(sandbox.stateDir).mode & 0o777).toBe(0o700);
    for (const name of ['audit.jsonl', 'checkpoint.json', 'recovery-state.json'])
      expect(statSync(join(sandbox.stateDir, name)).mode & 0o777, name).toBe(0o600);
  });

  it('refuses a launch dir that is a symlink: the session fails with the reason', async () => {
    const elsewhere = sandbox.dir('elsewhere');
    symlinkSync(elsewhere, join(sandbox.stateDir, 'launch'));
    const result = await runCliProcess(['recover', '--no-wait', ...sandbox.cli]);
    expect(result.code, result.out).toBe(3);
    expect(result.out).toMatch(/launch is not our own directory/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

function sessionIdOf(sandbox: Sandbox): string {
  const document = JSON.parse(readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8')) as {
    sessions: { sessionId: string }[];
  };
  return document.sessions[0]!.sessionId;
}
