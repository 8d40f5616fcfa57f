import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeChecksum, withChecksum } from '../../specs/canonical-json.js';
import { crashTmux, killMarked } from '../support/crash.js';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';
import { readEnviron } from '../support/tmux-facts.js';

/** The checkpoint's sessions get `environment` (checksums kept correct), as a hand edit would. */
function setEnvironment(sandbox: Sandbox, environment: Record<string, string>): void {
  const file = join(sandbox.stateDir, 'checkpoint.json');
  const document = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & {
    sessions: Record<string, unknown>[];
  };
  document.sessions = document.sessions.map(({ checksum: _c, ...s }) =>
    withChecksum({ ...s, environment }),
  );
  const { checksum: _top, ...rest } = document;
  writeFileSync(file, JSON.stringify({ ...rest, checksum: computeChecksum(rest) }));
}

describe('an environment too large for tmux', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(async () => {
    await killMarked(sandbox.workspaceId);
    sandbox.cleanup();
  });

  it('is left out at checkpoint with a warning naming it, so the session comes back', async () => {
    const dir = sandbox.dir('helios-e1');
    // 100 KiB: one exec takes it, one tmux command line does not ("command too long").
    sandbox.tmux(
      'new-session',
      '-d',
      '-s',
      'helios-e1',
      '-c',
      dir,
      `BIG=$(head -c 102400 /dev/zero | tr '\\0' x) SMALL=kept exec bash --noprofile --norc -i`,
    );
    await waitFor(() => {
      const pid = Number(sandbox.tmux('display', '-p', '-t', '=helios-e1:', '#{pane_pid}'));
      return readEnviron(pid).BIG?.length === 102400;
    });
    const taken = await runCli(['checkpoint', ...sandbox.cli]);
    expect(taken.code, taken.err).toBe(0);
    expect(taken.err).toContain(
      "warning: session helios-e1: environment variable BIG (100.0 KiB) not saved: a session's variables must fit in 8.0 KiB to be given to tmux again",
    );
    await crashTmux(sandbox);
    const recovered = await runCli(['recover', '--no-wait', ...sandbox.cli]);
    expect(recovered.code, recovered.out).toBe(0);
    const pid = Number(sandbox.tmux('display', '-p', '-t', '=helios-e1:', '#{pane_pid}'));
    await waitFor(() => readEnviron(pid).SMALL === 'kept', 5_000, 'the restored shell has SMALL');
    expect(readEnviron(pid).BIG).toBeUndefined();
  });

  it('in a checkpoint edited by hand, fails its session with the reason and the variable', async () => {
    await sandbox.startSessions(['helios-e2']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    await crashTmux(sandbox);
    setEnvironment(sandbox, { BIG: 'x'.repeat(1024 * 1024) });
    const recovered = await runCli(['recover', '--no-wait', ...sandbox.cli]);
    expect(recovered.code, recovered.out).toBe(3);
    expect(recovered.out).toContain(
      'its argument list is too long for the system (E2BIG); the environment variable BIG alone is 1025 KiB',
    );
    expect(recovered.out).not.toMatch(/spawn E2BIG/);
  });
});
