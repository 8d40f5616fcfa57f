import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killMarked } from '../support/crash.js';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';

const SECRETS = {
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY1',
  GITHUB_TOKEN: 'ghp_ENVtoken0123456789abcdefghijABCDEFG',
  DB_PASSWORD: 'hunter2-db-pass',
};
const PRINTED_TOKEN = 'ghp_PRINTEDtoken456789abcdefghijABCDEFG';
const KEY_BODY = 'MIIEowIBAAKCAQEAprintedKeyBody0123456789abcdefABCDEF';

/** Every file under `dir`, with its text. */
function filesUnder(dir: string): { file: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? filesUnder(path)
      : [{ file: path, text: readFileSync(path, 'latin1') }];
  });
}

describe('secrets stay out of the state dir', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(async () => {
    await killMarked(sandbox.workspaceId);
    sandbox.cleanup();
  });

  it('checkpoint withholds secret variables and redacts scrollback, unless --allow-env', async () => {
    const dir = sandbox.dir('helios-sec');
    const printed = join(sandbox.root, 'printed.txt');
    writeFileSync(
      printed,
      [
        `token: ${PRINTED_TOKEN}`,
        '-----BEGIN RSA PRIVATE KEY-----',
        KEY_BODY,
        '-----END RSA PRIVATE KEY-----',
        'printed-marker',
      ].join('\n'),
    );
    const env = Object.entries({ ...SECRETS, EDITOR: 'ed-kept' }).flatMap(([k, v]) => [
      '-e',
      `${k}=${v}`,
    ]);
    sandbox.tmux(
      'new-session',
      '-d',
      '-s',
      'helios-sec',
      '-c',
      dir,
      ...env,
      `cat ${printed}; exec bash --noprofile --norc -i`,
    );
    await waitFor(
      () => sandbox.tmux('capture-pane', '-p', '-t', '=helios-sec:').includes('printed-marker'),
      5_000,
      'the pane shows what it printed',
    );

    const taken = await runCli(['checkpoint', ...sandbox.cli]);
    expect(taken.code, taken.err).toBe(0);
    expect(taken.out).toContain(
      '3 environment values (AWS_SECRET_ACCESS_KEY, DB_PASSWORD, GITHUB_TOKEN) and 2 secrets in scrollback withheld from the state dir. Keep one after all with --allow-env NAME (`--allow-env AWS_SECRET_ACCESS_KEY,DB_PASSWORD,GITHUB_TOKEN` keeps all of them).',
    );
    const files = filesUnder(sandbox.stateDir);
    expect(files.length).toBeGreaterThan(0);
    for (const { file, text } of files)
      for (const secret of [...Object.values(SECRETS), PRINTED_TOKEN, KEY_BODY])
        expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
    const checkpoint = readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8');
    expect(checkpoint).toContain('ed-kept');
    expect(checkpoint).toContain('token: [redacted]');

    const json = await runCli([
      'checkpoint',
      '--json',
      '--allow-env',
      'GITHUB_TOKEN',
      ...sandbox.cli,
    ]);
    expect(json.code, json.err).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({
      ok: true,
      withheld: { secretNames: ['AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD'], scrollbackSecrets: 2 },
    });
    expect(readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8')).toContain(
      SECRETS.GITHUB_TOKEN,
    );
    const refused = await runCli(['checkpoint', '--allow-env', 'GITHUB TOKEN', ...sandbox.cli]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /invalid allowed variable "GITHUB TOKEN": a variable name or a glob/,
    );
  });

  it('imports withhold the same: heliosApp env and scrollback, tmux-resurrect pane contents', async () => {
    const sessions = [
      {
        sessionId: 's1',
        terminalId: 't1',
        laneId: null,
        workingDirectory: sandbox.dir('w'),
        environmentVariables: { ...SECRETS, EDITOR: 'ed-kept' },
        scrollbackSnapshot: `$ cat token\n${PRINTED_TOKEN}\n`,
        zelijjSessionName: 'helios-s1',
        shellCommand: '/bin/bash',
      },
    ];
    const checksum = createHash('sha256').update(JSON.stringify(sessions)).digest('hex');
    const v1 = join(sandbox.root, 'v1.json');
    writeFileSync(v1, JSON.stringify({ version: 1, timestamp: 0, checksum, sessions }));
    const fromApp = await runCli([
      'import',
      'helios-v1',
      v1,
      '--allow-env',
      'DB_*',
      ...sandbox.cli,
    ]);
    expect(fromApp.code, fromApp.err).toBe(0);
    expect(fromApp.err).toContain(
      'warning: 2 environment values (AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN) and 1 secret in scrollback withheld from the state dir',
    );
    const app = readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8');
    for (const secret of [SECRETS.AWS_SECRET_ACCESS_KEY, SECRETS.GITHUB_TOKEN, PRINTED_TOKEN])
      expect(app).not.toContain(secret);
    expect(app).toContain(SECRETS.DB_PASSWORD);
    expect(app).toContain('ed-kept');

    const cwd = sandbox.dir('r');
    const save = join(sandbox.root, 'last');
    writeFileSync(save, `pane\thelios-s1\t0\t1\t:*\t0\tt\t:${cwd}\t1\tbash\t1\t1\n`);
    mkdirSync(join(sandbox.root, 'src', 'pane_contents'), { recursive: true });
    writeFileSync(
      join(sandbox.root, 'src', 'pane_contents', 'pane-helios-s1:0.0'),
      `export GITHUB_TOKEN=${SECRETS.GITHUB_TOKEN}\n-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY_BODY}\n`,
    );
    execFileSync('tar', [
      'czf',
      join(sandbox.root, 'pane_contents.tar.gz'),
      '-C',
      join(sandbox.root, 'src'),
      'pane_contents/pane-helios-s1:0.0',
    ]);
    const fromResurrect = await runCli([
      'import',
      'tmux-resurrect',
      save,
      '--force',
      ...sandbox.cli,
    ]);
    expect(fromResurrect.code, fromResurrect.err).toBe(0);
    expect(fromResurrect.err).toContain(
      'warning: 2 secrets in scrollback withheld from the state dir',
    );
    const resurrected = readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8');
    expect(resurrected).toContain('export GITHUB_TOKEN=[redacted]');
    for (const secret of [SECRETS.GITHUB_TOKEN, KEY_BODY])
      expect(resurrected).not.toContain(secret);
  });
});
