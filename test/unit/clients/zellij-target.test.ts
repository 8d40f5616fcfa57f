import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runZellij } from '../../../clients/zellij-target.js';
import { fakeProgram } from '../../support/fake-program.js';

describe('runZellij: the one way to run zellij', () => {
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'helios-test-zellij-runner-')));
  });
  afterEach(() => {
    delete process.env.ZELLIJ_RUNNER_PROBE;
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs zellij in the target's environment only, plus what the call adds, in its cwd", async () => {
    const zellij = fakeProgram(dir);
    process.env.ZELLIJ_RUNNER_PROBE = 'from this process';
    const result = await runZellij(
      {
        command: zellij.program,
        env: {
          ZELLIJ_SOCKET_DIR: join(dir, 'sockets'),
          ZELLIJ_SESSION_NAME: 'the session we run in',
          ZELLIJ: '0',
          HELIOS_ROLE: 'shell',
        },
      },
      ['attach', '--create-background', 'work'],
      { timeoutMs: 5_000, extraEnv: { SHELL: '/launch/work.sh' }, cwd: dir },
    );
    expect(result).toMatchObject({ status: 'exited', exitCode: 0 });
    const seen = zellij.seen();
    expect(seen.argv).toEqual(['attach', '--create-background', 'work']);
    expect(seen.cwd).toBe(dir);
    expect(seen.env.ZELLIJ_SOCKET_DIR).toBe(join(dir, 'sockets'));
    expect(seen.env.SHELL).toBe('/launch/work.sh');
    for (const absent of ['ZELLIJ_RUNNER_PROBE', 'ZELLIJ_SESSION_NAME', 'ZELLIJ', 'HELIOS_ROLE'])
      expect(seen.env, absent).not.toHaveProperty(absent);
  });

  it("finds `zellij` on the target's PATH, not this process's", async () => {
    expect(await runZellij({ env: { PATH: dir } }, ['--version'], { timeoutMs: 5_000 })).toEqual({
      status: 'failed',
      reason: 'zellij not found on PATH',
    });
  });
});
