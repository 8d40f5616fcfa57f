import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { realZellijBinary } from '../contract/backends.js';

// The zellij keybinds and the start-up snippet README documents, checked as written: the KDL
// block is taken from README and given to the real zellij's own config check.

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const section = README.slice(README.indexOf('## zellij keybinds'));
const block = (lang: string) => {
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section);
  if (!match) throw new Error(`no ${lang} block in README's "zellij keybinds"`);
  return match[1]!;
};

const ZELLIJ = realZellijBinary();
if (!ZELLIJ)
  console.log(
    'zellij keybinds: real zellij SKIPPED: no zellij on PATH and no HELIOS_ZELLIJ_BIN (.ci/run installs it)',
  );

describe.skipIf(!ZELLIJ)('README zellij keybinds on real zellij', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'helios-test-')));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const check = (kdl: string) => {
    const file = join(root, 'config.kdl');
    writeFileSync(file, kdl);
    return spawnSync(ZELLIJ!, ['--config', file, 'setup', '--check'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: join(root, 'config') },
    });
  };

  it('are accepted by zellij setup --check', () => {
    const kdl = block('kdl');
    expect(kdl).toContain('Run "helios-recover" "recover"');
    expect(kdl).toContain('helios-recover checkpoint --autosave');
    const result = check(kdl);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('[CONFIG FILE]: Well defined.');
  });

  it('a Run without its command is refused by the same check', () => {
    const result = check(block('kdl').replace('Run "helios-recover" "recover"', 'Run'));
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('No command found in Run action');
  });
});

describe("README's zellij start-up snippet", () => {
  it('is valid sh, and the options it uses are accepted by the CLI', () => {
    expect(spawnSync('sh', ['-n', '-c', block('sh')]).status).toBe(0);
    const cli = fileURLToPath(new URL('../../dist/bin/helios-recover.js', import.meta.url));
    const help = execFileSync(process.execPath, [cli, 'recover', '--help'], { encoding: 'utf8' });
    expect(help).toContain('--no-wait');
    const checkpoint = execFileSync(process.execPath, [cli, 'checkpoint', '--help'], {
      encoding: 'utf8',
    });
    expect(checkpoint).toContain('--autosave');
  });
});
