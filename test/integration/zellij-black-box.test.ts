import { execFile } from 'node:child_process';
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, jsonLines, runCli, type Sandbox, waitFor } from '../support/sandbox.js';
import {
  stopZellij,
  zellij,
  zellijEnv,
  zellijPane,
  zellijServers,
} from '../support/zellij-sandbox.js';

const CLI = fileURLToPath(new URL('../../dist/bin/helios-recover.js', import.meta.url));
const run = promisify(execFile);

describe('black box on the zellij emulator', () => {
  let sandbox: Sandbox;
  let env: NodeJS.ProcessEnv;
  const helios = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args, ...sandbox.cli], {
        env,
        encoding: 'utf8',
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      return error as { code: number; stdout: string; stderr: string };
    }
  };
  // As on zellij 0.44+: the first pane runs $SHELL in the client's cwd with its env.
  const create = (name: string, cwd: string, extra: Record<string, string>) =>
    zellij(
      env,
      ['attach', '-b', name],
      // as if a user had attached to it: zellij keeps a resurrection layout (EXITED later)
      { ...extra, SHELL: '/bin/bash', ZELLIJ_EMULATOR_ATTACHED: '1' },
      cwd,
    );

  const saved = { ...process.env };
  beforeEach(async () => {
    sandbox = createSandbox('zellij');
    env = zellijEnv(sandbox);
    // In-process CLI runs (for coverage) see the emulator through this process's env.
    Object.assign(process.env, env);
    create('helios-z1', sandbox.dir('one'), { PROJECT: 'one' });
    create('helios-z2', sandbox.dir('two'), { PROJECT: 'two' });
    await waitFor(
      () => [...zellijServers(env).values()].every((pid) => zellijPane(pid) !== null),
      5_000,
      'panes',
    );
    const checkpoint = await runCli(['checkpoint', ...sandbox.cli]);
    expect(checkpoint.code, checkpoint.err).toBe(0);
  });
  afterEach(() => {
    stopZellij(env);
    sandbox.cleanup();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('respawns crashed (EXITED) sessions with their cwd and env, then plans nothing', async () => {
    for (const pid of zellijServers(env).values()) process.kill(pid, 'SIGKILL');
    await waitFor(
      () => zellij(env, ['list-sessions', '-n']).includes('EXITED'),
      5_000,
      'EXITED sessions',
    );

    const plan = await helios(['plan']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/\+ respawn .*helios-z1 \(zellij\)/);
    const recovered = await helios(['recover']);
    expect(recovered.code, recovered.stdout + recovered.stderr).toBe(0);

    const listing = zellij(env, ['list-sessions', '-n']);
    expect(listing).not.toContain('EXITED');
    // zellij's own layouts were kept before the EXITED sessions were deleted, and named.
    const keptDir = join(env.XDG_CACHE_HOME!, 'zellij', 'helios-recover-kept');
    const kept = readdirSync(keptDir).sort();
    expect(kept).toEqual([
      expect.stringMatching(/^helios-z1-.*\.kdl$/),
      expect.stringMatching(/^helios-z2-.*\.kdl$/),
    ]);
    expect(recovered.stdout).toMatch(
      /note: zellij's own saved layout of helios-z1 is kept at \S+helios-z1-\S+\.kdl/,
    );
    expect(statSync(join(keptDir, kept[0]!)).mode & 0o777).toBe(0o600);
    for (const [name, dir] of [
      ['helios-z1', 'one'],
      ['helios-z2', 'two'],
    ] as const) {
      const pane = zellijPane(zellijServers(env).get(name)!)!;
      expect(readlinkSync(`/proc/${pane.pid}/cwd`)).toBe(`${sandbox.root}/${dir}`);
      expect(pane.env.PROJECT).toBe(dir);
      expect(pane.env.HELIOS_WORKSPACE_ID).toBe(sandbox.workspaceId);
      expect(pane.env.HELIOS_SESSION_ID).toBe(name.replace('helios-', ''));
    }
    expect((await helios(['plan'])).code).toBe(0);
  });

  it('reattaches a surviving session instead of respawning it', async () => {
    const survivor = zellijServers(env).get('helios-z1')!;
    zellij(env, ['kill-session', 'helios-z2']);
    const recovered = await runCli(['recover', '--json', ...sandbox.cli]);
    expect(recovered.code, recovered.err).toBe(0);
    const restored = jsonLines(recovered.out)
      .filter((e) => e.topic === 'recovery.session.restored')
      .map((e) => e.payload as { sessionName: string; status: string });
    expect(restored.sort((a, b) => (a.sessionName < b.sessionName ? -1 : 1))).toEqual([
      { sessionId: 'z1', sessionName: 'helios-z1', status: 'reattached' },
      {
        sessionId: 'z2',
        sessionName: 'helios-z2',
        status: 'respawned',
        notes: [expect.stringMatching(/^zellij's own saved layout of helios-z2 is kept at /)],
      },
    ]);
    expect(zellijServers(env).get('helios-z1')).toBe(survivor);
    expect((await runCli(['plan', ...sandbox.cli])).code).toBe(0);
  });
});
