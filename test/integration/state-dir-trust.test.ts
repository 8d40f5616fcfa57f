import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configure } from '../../controllers/workspace-config.js';
import { runCliProcess } from '../support/daemon.js';
import { createSandbox, runCli, type Sandbox } from '../support/sandbox.js';

const NOBODY = 65534;
const AS_ROOT = process.getuid?.() === 0;

/** The sandbox's CLI options with another state dir. */
const withStateDir = (sandbox: Sandbox, stateDir: string) =>
  sandbox.cli.map((arg, i) => (sandbox.cli[i - 1] === '--state-dir' ? stateDir : arg));

describe("the state dir's parents are part of its trust", () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-t1']);
  });
  afterEach(() => sandbox.cleanup());

  it.skipIf(!AS_ROOT)(
    'refuses a state dir under a parent another user owns, and creates nothing there',
    async () => {
      const parent = sandbox.dir('nobodys');
      execFileSync('chown', [`${NOBODY}:${NOBODY}`, parent]);
      chmodSync(parent, 0o755);
      const existing = join(parent, 'state');
      mkdirSync(existing, { mode: 0o700 }); // our own dir, inside theirs
      const fresh = join(parent, 'fresh');
      for (const stateDir of [existing, fresh])
        for (const command of [['recover', '--no-wait'], ['checkpoint'], ['plan']]) {
          const result = await runCliProcess([...command, ...withStateDir(sandbox, stateDir)]);
          expect(result.code, `${command} ${stateDir}: ${result.out}`).toBe(1);
          expect(result.out).toContain(
            `its parent ${parent} belongs to uid ${NOBODY}, neither you (uid 0) nor root`,
          );
          expect(result.out.trim().split('\n').at(-1)).toMatch(/^helios-recover: /);
        }
      expect(existsSync(fresh)).toBe(false);
    },
  );

  it('refuses a parent others may write without the sticky bit; the sticky bit is fine', async () => {
    const parent = sandbox.dir('shared');
    chmodSync(parent, 0o777);
    const stateDir = join(parent, 'state');
    const refused = await runCliProcess(['checkpoint', ...withStateDir(sandbox, stateDir)]);
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toContain(
      `its parent ${parent} is writable by group or others without the sticky bit (mode 777)`,
    );
    expect(refused.out).toContain(`chmod go-w ${parent}`);
    expect(existsSync(stateDir)).toBe(false);
    const recover = await runCliProcess([
      'recover',
      '--no-wait',
      ...withStateDir(sandbox, stateDir),
    ]);
    expect(recover.code).toBe(1);
    expect(recover.out).toContain('without the sticky bit');

    chmodSync(parent, 0o1777); // like /tmp
    const accepted = await runCli(['checkpoint', ...withStateDir(sandbox, stateDir)]);
    expect(accepted.code, accepted.err).toBe(0);
  });

  it('gives every spelling of one state dir one instance id: symlinks resolved, existing or not', () => {
    const real = sandbox.dir('real');
    const link = join(sandbox.root, 'link');
    symlinkSync(real, link);
    const idOf = (stateDir: string) => configure({ stateDir }).instanceId;
    mkdirSync(join(real, 'existing'));
    expect(idOf(join(link, 'existing'))).toBe(idOf(join(real, 'existing')));
    expect(idOf(join(link, 'not-yet', 'ws'))).toBe(idOf(join(real, 'not-yet', 'ws')));
    expect(idOf(join(real, 'existing', '..', 'existing'))).toBe(idOf(join(real, 'existing')));
    expect(idOf(join(real, 'other'))).not.toBe(idOf(join(real, 'existing')));
  });
});
