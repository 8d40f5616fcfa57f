import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BackendUnderTest, realZellijBinary, zellijBackend } from '../contract/backends.js';
import { argvOf, childrenOf, descendantsOf } from '../support/processes.js';
import { createSandbox, type Sandbox, waitFor } from '../support/sandbox.js';

const CLI = fileURLToPath(new URL('../../dist/bin/helios-recover.js', import.meta.url));
const REAL = realZellijBinary();
const run = promisify(execFile);

interface Listed {
  id: number;
  is_plugin: boolean;
  is_focused: boolean;
  is_held: boolean;
  tab_position: number;
  tab_name: string;
  pane_cwd: string;
  pane_columns: number;
}

describe.skipIf(REAL === null)('a whole zellij workspace comes back (real zellij)', () => {
  let sandbox: Sandbox;
  let z: BackendUnderTest;
  const zellij = (...args: string[]) =>
    execFileSync(REAL!, args, { env: z.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const helios = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args, ...z.cli], {
        env: { ...z.env, SHELL: '/bin/sh' },
        encoding: 'utf8',
      });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, out: failed.stdout + failed.stderr };
    }
  };
  /**
   * The terminal panes zellij lists, once it answers: a busy server may answer a client late
   * (the client says the session is not there, or lists nothing), so it is asked until it does.
   */
  const panes = async (name: string): Promise<Listed[]> => {
    let listed: Listed[] | null = null;
    await waitFor(
      () => {
        try {
          const text = zellij('--session', name, 'action', 'list-panes', '--json', '--all');
          listed = (JSON.parse(text || '[]') as Listed[])
            .filter((pane) => !pane.is_plugin)
            .sort((a, b) => a.tab_position - b.tab_position || a.id - b.id);
          // These sessions always have panes: none listed is a server still settling.
          return listed.length > 0;
        } catch {
          return false;
        }
      },
      10_000,
      `zellij to list the panes of ${name}`,
    );
    return listed!;
  };
  const shape = async (name: string) =>
    (await panes(name)).map((p) => `${p.tab_position}|${p.tab_name}|${p.pane_cwd}|${p.is_focused}`);
  const server = (name: string) => z.serverPid(name);
  const running = (name: string, program: string) => {
    const pid = server(name);
    return pid !== null && [...descendantsOf([pid])].some((p) => argvOf(p)[0]?.endsWith(program));
  };

  let project: string;
  let logs: string;
  let argsFile: string;
  /** The user's own session: 2 tabs, 3 panes in 2 cwds, less in one, a fake claude in another. */
  async function userWorkspace(name: string, programs: 'some' | 'all') {
    project = sandbox.dir('my project');
    logs = sandbox.dir('logs');
    const bin = sandbox.dir('bin');
    writeFileSync(
      join(logs, 'app.log'),
      Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join(''),
    );
    argsFile = join(sandbox.root, 'claude-args');
    writeFileSync(
      join(bin, 'claude'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argsFile}'\nsleep 600\n`,
    );
    chmodSync(join(bin, 'claude'), 0o755);
    const layout = join(sandbox.root, 'user.kdl');
    writeFileSync(
      layout,
      `layout {\n tab name="code" {\n  pane split_direction="vertical" {\n   pane size="60%" cwd="${project}"\n   pane cwd="${logs}"\n  }\n }\n tab name="agent" focus=true {\n  pane cwd="${project}"\n }\n}\n`,
    );
    execFileSync(REAL!, ['--layout', layout, 'attach', '--create-background', name], {
      env: { ...z.env, SHELL: '/bin/sh', PATH: `${bin}:${process.env.PATH}` },
      cwd: project,
      stdio: 'ignore',
    });
    // /proc only until the panes run: a client that connects to a server still starting
    // crashes it (zellij 0.45.1).
    await waitFor(
      () => server(name) !== null && childrenOf(server(name)!).length === 3,
      10_000,
      'three panes',
    );
    // A server just started by attach -b may not take actions yet ("There is no active
    // session"): panes() asks until it answers.
    await panes(name);
    const type = (id: number, text: string) =>
      zellij(
        '--session',
        name,
        'action',
        'write-chars',
        '--pane-id',
        `terminal_${id}`,
        `${text}\n`,
      );
    type(1, 'less app.log');
    type(2, 'claude');
    if (programs === 'all') type(0, 'less ../logs/app.log');
    await waitFor(() => running(name, 'less') && existsSync(argsFile), 10_000, 'less and claude');
  }

  beforeEach(() => {
    sandbox = createSandbox('zellij');
    z = zellijBackend(sandbox, REAL!, 'real zellij');
  });
  afterEach(() => {
    z.cleanup();
    sandbox.cleanup();
  });

  it('tabs, splits, cwds and allowed programs come back; new panes run the user shell', async () => {
    await userWorkspace('helios-work', 'some');
    const before = await shape('helios-work');
    const checkpoint = await helios('checkpoint');
    expect(checkpoint.code, checkpoint.out).toBe(0);
    // zellij's own resurrection layout exists too (it saves one about every minute).
    zellij('--session', 'helios-work', 'action', 'save-session');
    z.crash(['helios-work']);
    await waitFor(() => zellij('list-sessions', '-n').includes('EXITED'), 10_000, 'EXITED');

    const recovered = await helios('recover');
    expect(recovered.code, recovered.out).toBe(0);
    expect(recovered.out).toMatch(/helios-work\s+respawned \(2 windows, 3 panes\)/);
    // zellij lays the panes out a moment after they start (recover returns once they run).
    const share = async () => {
      const [left, right] = await panes('helios-work');
      return left && right ? left.pane_columns / (left.pane_columns + right.pane_columns) : 0;
    };
    await waitFor(
      async () =>
        JSON.stringify(await shape('helios-work')) === JSON.stringify(before) &&
        Math.abs((await share()) - 0.6) < 0.05,
      10_000,
      'the tabs, splits and the 60/40 share',
    );
    await waitFor(() => running('helios-work', 'less'), 10_000, 'less again');
    await waitFor(
      () => readFileSync(argsFile, 'utf8').includes('--continue'),
      10_000,
      'claude --continue',
    );
    expect(readFileSync(argsFile, 'utf8').split('\n')).toEqual(['', '--continue', '']);
    // zellij's own layout was kept before it was deleted, and the summary says where.
    expect(recovered.out).toMatch(/zellij's own saved layout of helios-work is kept at /);

    // A pane the user opens runs the user's shell, not a launcher.
    const shells = childrenOf(server('helios-work')!).length;
    zellij('--session', 'helios-work', 'action', 'new-pane');
    await waitFor(() => childrenOf(server('helios-work')!).length > shells, 10_000, 'a new pane');
    const fresh = argvOf(childrenOf(server('helios-work')!).sort((a, b) => b - a)[0]!);
    expect(fresh).toEqual(['/bin/sh']);

    const again = await helios('plan');
    expect(again.code, again.out).toBe(0);
    expect(again.out).not.toMatch(/panes_missing/);

    // A pane of ours that dies is named, never called in sync (zellij cannot put it back).
    // A child that is exiting has no environ any more: it is not that pane.
    const environ = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const shellOf = (marker: string) =>
      childrenOf(server('helios-work')!).find((pid) => {
        try {
          return environ(pid).includes(`HELIOS_PANE_ID=${marker}`);
        } catch {
          return false;
        }
      });
    process.kill(shellOf('0.1')!, 'SIGKILL');
    await waitFor(() => shellOf('0.1') === undefined, 10_000, 'pane 0.1 gone');
    const lost = await helios('plan');
    expect(lost.out).toMatch(/runs without pane 0\.1 of the checkpoint.*\[panes_missing\]/);
    expect(lost.out).toMatch(/zellij kill-session helios-work/);
  });

  it('a session zellij resurrected itself is never reported reattached while its panes wait', async () => {
    await userWorkspace('helios-res', 'some');
    expect((await helios('checkpoint')).code).toBe(0);
    zellij('--session', 'helios-res', 'action', 'save-session');
    z.crash(['helios-res']);
    await waitFor(() => zellij('list-sessions', '-n').includes('EXITED'), 10_000, 'EXITED');
    // The user (or the host app) attaches first: zellij brings its own layout back.
    zellij('attach', '--create-background', 'helios-res');
    await waitFor(
      () => server('helios-res') !== null && childrenOf(server('helios-res')!).length === 1,
      10_000,
      'its shells',
    );
    await waitFor(
      async () => (await panes('helios-res')).some((pane) => pane.is_held),
      10_000,
      'waiting panes',
    );
    const shells = childrenOf(server('helios-res')!);

    const recovered = await helios('recover');
    expect(recovered.code, recovered.out).toBe(3);
    expect(recovered.out).not.toMatch(/✓ helios-res\s+reattached/);
    expect(recovered.out).toMatch(/resurrected_waiting/);
    // What zellij started is left alone: the user may be typing in it.
    expect(childrenOf(server('helios-res')!)).toEqual(shells);
    const checkpoint = await helios('checkpoint');
    expect(checkpoint.out).toMatch(/helios-res was not observed \(zellij resurrected it/);
  });

  it('a resurrected session with nothing running is replaced by the checkpoint', async () => {
    await userWorkspace('helios-all', 'all');
    const checkpoint = await helios('checkpoint');
    expect(checkpoint.code, checkpoint.out).toBe(0);
    zellij('--session', 'helios-all', 'action', 'save-session');
    z.crash(['helios-all']);
    await waitFor(() => zellij('list-sessions', '-n').includes('EXITED'), 10_000, 'EXITED');
    zellij('attach', '--create-background', 'helios-all');
    await waitFor(() => server('helios-all') !== null, 10_000, 'resurrected');
    await waitFor(async () => (await panes('helios-all')).length === 3, 10_000, 'its panes listed');
    expect((await panes('helios-all')).every((pane) => pane.is_held)).toBe(true);

    const recovered = await helios('recover');
    expect(recovered.code, recovered.out).toBe(0);
    expect(recovered.out).toMatch(/helios-all\s+respawned/);
    expect((await panes('helios-all')).some((pane) => pane.is_held)).toBe(false);
    await waitFor(() => running('helios-all', 'less'), 10_000, 'less again');
  });
});
