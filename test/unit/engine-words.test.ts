import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The engine: everything below the views. Its advice is data (specs/remedies.ts). */
const ENGINE = ['actions', 'diff', 'controllers', 'specs', 'observers', 'clients'];

function sourcesUnder(folder: string): string[] {
  return (
    readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      // parentPath from Node 20.12 on; `path` before.
      .map((entry) => join(entry.parentPath ?? (entry as { path: string }).path, entry.name))
  );
}

/** The CLI's commands, as bin/main.ts dispatches them. */
function cliCommands(): string[] {
  const text = readFileSync(join(ROOT, 'bin/main.ts'), 'utf8');
  return [...text.matchAll(/^\s+'?([a-z][a-z-]*)'?: async \(\) =>/gm)].map((m) => m[1]!);
}

/** Every option the CLI parses, as the bin/ option tables declare them. */
function cliOptions(): string[] {
  const names = new Set<string>();
  for (const file of sourcesUnder('bin'))
    for (const m of readFileSync(file, 'utf8').matchAll(/^\s+'?([a-z][a-z-]*)'?: \{ type: '/gm))
      names.add(m[1]!);
  return [...names];
}

describe('views own the words', () => {
  it('no engine file holds CLI command text (`helios-recover <command>`), comments included', () => {
    const commands = cliCommands();
    expect(commands).toEqual(expect.arrayContaining(['recover', 'plan', 'orphans', 'safe-mode']));
    const command = new RegExp(`helios-recover (${commands.join('|')})(?![\\w-])`);
    const hits: string[] = [];
    for (const folder of ENGINE) {
      const files = sourcesUnder(folder);
      expect(files.length, folder).toBeGreaterThan(0);
      for (const file of files)
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (command.test(line)) hits.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
          });
    }
    expect(hits).toEqual([]);
  });

  it('no engine message names a CLI option: what to do is a remedy the views word', () => {
    const options = cliOptions();
    expect(options).toEqual(expect.arrayContaining(['force', 'prune', 'allow-env', 'allow-empty']));
    const option = new RegExp(`--(${options.join('|')})(?![\\w-])`);
    const hits: string[] = [];
    for (const folder of ENGINE)
      for (const file of sourcesUnder(folder))
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            // Comments may say which option sets a policy; messages may not tell the user one.
            // An option word given to a tool (`'--json'` in zellij's argv) is not a message.
            const code = line.replace(/\/\/.*$/, '').replace(/'--[a-z-]+'/g, '');
            if (/^\s*(\*|\/\*)/.test(code)) return;
            if (option.test(code)) hits.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
          });
    expect(hits).toEqual([]);
  });

  it('no output is rewritten by a regex: the CLI and the views build commands from data', () => {
    for (const folder of ['bin', 'banner'])
      for (const file of sourcesUnder(folder)) {
        const text = readFileSync(file, 'utf8');
        expect(text, relative(ROOT, file)).not.toMatch(/\.replace\(\s*\/[^\n]*helios-recover/);
        expect(text, relative(ROOT, file)).not.toMatch(/withWorkspaceFlags/);
      }
  });
});
