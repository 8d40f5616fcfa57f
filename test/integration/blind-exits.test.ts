import { execFile } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';
import {
  stopZellij,
  zellij,
  zellijEnv,
  zellijPane,
  zellijServers,
} from '../support/zellij-sandbox.js';

const CLI = fileURLToPath(new URL('../../dist/bin/helios-recover.js', import.meta.url));
const BLIND = 4;

/** The built CLI as a separate process: exit code, stdout and stderr apart. */
function helios(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

const COMMANDS = [['plan'], ['orphans'], ['orphans', '--dry-run'], ['orphans', 'clean']];

/** Every command that depends on the observation exits BLIND, saying what is blind. */
async function expectBlind(cli: string[], env: NodeJS.ProcessEnv, blindTo: RegExp) {
  for (const command of COMMANDS) {
    const text = await helios([...command, '--timeout', '500', ...cli], env);
    const said = `${command.join(' ')}:\n${text.stdout}\n${text.stderr}`;
    expect(text.code, said).toBe(BLIND);
    const lines = text.stderr
      .split('\n')
      .filter((line) => line.startsWith('helios-recover: blind:'));
    expect(lines, said).toHaveLength(1);
    expect(lines[0], said).toMatch(blindTo);
    expect(text.stdout, said).not.toMatch(/nothing to do|No orphans found/i);

    const json = await helios([...command, '--json', '--timeout', '500', ...cli], env);
    expect(json.code, json.stdout).toBe(BLIND);
    const parsed = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as { blind: string };
    expect(parsed.blind, json.stdout).toMatch(blindTo);
  }
}

describe('blind exits say blind: tmux stopped', () => {
  let sandbox: Sandbox;
  let serverPid = 0;
  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-b1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    serverPid = Number(sandbox.tmux('display', '-p', '#{pid}').trim());
    process.kill(serverPid, 'SIGSTOP');
  });
  afterEach(() => {
    process.kill(serverPid, 'SIGCONT');
    sandbox.cleanup();
  });

  it('plan, orphans, orphans --dry-run and orphans clean exit 4 naming tmux', async () => {
    await expectBlind(sandbox.cli, { ...process.env, CI: '1' }, /tmux.*timed out/);
  });
});

describe('blind exits say blind: zellij missing, unsupported or hung', () => {
  let sandbox: Sandbox;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    sandbox = createSandbox('zellij');
    env = { ...zellijEnv(sandbox), CI: '1' };
    zellij(env, ['attach', '-b', 'helios-z1'], { SHELL: '/bin/bash' }, sandbox.dir('one'));
    await waitFor(
      () => [...zellijServers(env).values()].every((pid) => zellijPane(pid) !== null),
      5_000,
      'the zellij pane',
    );
    const checkpoint = await helios(['checkpoint', ...sandbox.cli], env);
    expect(checkpoint.code, checkpoint.stderr).toBe(0);
  });
  afterEach(() => {
    stopZellij(env);
    sandbox.cleanup();
  });

  const fake = (name: string, script: string) => {
    const path = join(sandbox.root, name);
    writeFileSync(path, `#!/bin/sh\n${script}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  it('missing: exit 4 naming zellij', async () => {
    const missing = { ...env, HELIOS_ZELLIJ_BIN: join(sandbox.root, 'no-such-zellij') };
    await expectBlind(sandbox.cli, missing, /zellij/);
  });

  it('of an unsupported version: exit 4 naming the version', async () => {
    const old = { ...env, HELIOS_ZELLIJ_BIN: fake('old-zellij', 'echo "zellij 0.39.2"') };
    await expectBlind(sandbox.cli, old, /zellij 0\.39\.2 is not supported/);
  });

  it('hung: exit 4 naming zellij', async () => {
    const hung = { ...env, HELIOS_ZELLIJ_BIN: fake('hung-zellij', 'exec sleep 600') };
    await expectBlind(sandbox.cli, hung, /zellij/);
  });
});
