import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The folders that hold the product's code (not its tests or benchmarks). */
const SOURCE_FOLDERS = [
  'specs',
  'store',
  'clients',
  'observers',
  'actions',
  'diff',
  'controllers',
  'banner',
  'bin',
  'facades',
];

/** Every .ts file of a folder, its subfolders included, relative to the repository. */
function sourcesOf(folder: string): string[] {
  return readdirSync(`${ROOT}${folder}`, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `${folder}/${name}`);
}

function importsOf(folder: string): [string, string][] {
  return sourcesOf(folder).flatMap((file) => {
    const text = readFileSync(`${ROOT}${file}`, 'utf8');
    return [...text.matchAll(/(?<![\w'"])(?:from|import)\s*\(?\s*'([^']+)'/g)].map(
      (m) => [file, m[1]!] as [string, string],
    );
  });
}

/** The import rules as docs/ARCHITECTURE.md states them: `folder/ ... -> allowed, allowed`. */
function documentedRules(): Map<string, string[]> {
  const doc = readFileSync(`${ROOT}docs/ARCHITECTURE.md`, 'utf8');
  const rules = new Map<string, string[]>();
  for (const line of doc.split('\n')) {
    const match = /^([a-z]+)\/\s.*->\s*(.+)$/.exec(line);
    if (!match) continue;
    const allowed = match[2]!.trim() === 'nothing' ? [] : match[2]!.split(/,\s*/);
    rules.set(
      match[1]!,
      allowed.map((entry) => entry.trim()),
    );
  }
  return rules;
}

describe('the house: who may import whom', () => {
  it('every import follows the rules docs/ARCHITECTURE.md states, folder by folder', () => {
    const rules = documentedRules();
    expect([...rules.keys()].sort()).toEqual([...SOURCE_FOLDERS].sort());
    for (const [folder, allowed] of rules)
      for (const [file, source] of importsOf(folder)) {
        if (!source.startsWith('.')) continue; // a library or a Node built-in
        const target = relative(ROOT, resolve(ROOT, dirname(file), source)).replace(/\.js$/, '.ts');
        if (target.startsWith(`${folder}/`)) continue;
        const ok = allowed.some((entry) =>
          entry.endsWith('/') ? target.startsWith(entry) : target === entry,
        );
        expect(ok, `${file} imports ${target}, which ARCHITECTURE.md does not allow`).toBe(true);
      }
  });

  it('observers/ and actions/ never import each other', () => {
    for (const [file, source] of importsOf('observers'))
      expect(source, file).not.toMatch(/\/actions\//);
    for (const [file, source] of importsOf('actions'))
      expect(source, file).not.toMatch(/\/observers\//);
  });

  it('bin/ reaches the engine only through the composition root and the renderer chooser', () => {
    for (const [file, source] of importsOf('bin'))
      expect(source, file).toMatch(
        /^(\.\/|node:|\.\.\/controllers\/compose\.js$|\.\.\/banner\/choose-renderer\.js$)/,
      );
  });

  it('banner/ imports only banner/, specs/ and libraries: never the engine', () => {
    for (const [file, source] of importsOf('banner'))
      expect(source, file).toMatch(
        /^(\.\/|\.\.\/specs\/|node:|rxjs$|immer$|get-east-asian-width$)/,
      );
  });

  it('facades/ sit above the composition root: compose.ts, banner/, specs/ and rxjs only', () => {
    for (const [file, source] of importsOf('facades'))
      expect(source, file).toMatch(
        /^(\.\/|\.\.\/controllers\/compose\.js$|\.\.\/banner\/|\.\.\/specs\/|rxjs(\/internal\/\w+)?$)/,
      );
  });

  it('nothing in the engine, the banner or the CLI imports the facades', () => {
    for (const folder of SOURCE_FOLDERS.filter((f) => f !== 'facades'))
      for (const [file, source] of importsOf(folder)) expect(source, file).not.toMatch(/facades\//);
  });

  it('controllers/ never import banner/ or bin/', () => {
    for (const [file, source] of importsOf('controllers'))
      expect(source, file).not.toMatch(/\/(banner|bin)\//);
  });

  it('store/ imports only store/, specs/ and Node built-ins', () => {
    for (const [file, source] of importsOf('store'))
      expect(source, file).toMatch(/^(\.\/|\.\.\/specs\/|node:|zod$)/);
  });

  it('clients/ imports only clients/, specs/, store/, Node built-ins and the KDL library', () => {
    for (const [file, source] of importsOf('clients'))
      expect(source, file).toMatch(/^(\.\/|\.\.\/specs\/|\.\.\/store\/|node:|@bgotink\/kdl)/);
  });

  it('no multiplexer is run outside clients/ (no backend switch on a tmux or zellij call)', () => {
    for (const folder of ['observers', 'actions', 'controllers']) {
      for (const [file, source] of importsOf(folder)) {
        expect(source, file).not.toMatch(
          /clients\/(observe|capture)-(tmux|zellij)|clients\/(tmux|zellij)-driver|adopt-tmux/,
        );
      }
    }
  });

  it('git is run only through clients/git.ts', () => {
    for (const folder of SOURCE_FOLDERS)
      for (const name of sourcesOf(folder).map((file) => file.slice(folder.length + 1))) {
        if (`${folder}/${name}` === 'clients/git.ts') continue;
        const text = readFileSync(`${ROOT}${folder}/${name}`, 'utf8');
        expect(text, `${folder}/${name}`).not.toMatch(/(runCommand|spawn|execFile\w*)\(\s*'git'/);
      }
  });

  it('one runner per tool: only runTmux, runZellij and runGit call runCommand', () => {
    const RUNNERS = ['clients/tmux-runner.ts', 'clients/zellij-target.ts', 'clients/git.ts'];
    for (const folder of SOURCE_FOLDERS)
      for (const name of sourcesOf(folder).map((file) => file.slice(folder.length + 1))) {
        const file = `${folder}/${name}`;
        const text = readFileSync(`${ROOT}${file}`, 'utf8').replace(/function runCommand\(/, '');
        if (!RUNNERS.includes(file)) expect(text, file).not.toMatch(/\brunCommand\(/);
      }
    const tmuxRunner = readFileSync(`${ROOT}clients/tmux-runner.ts`, 'utf8');
    expect(tmuxRunner.match(/\brunCommand\(/g)).toHaveLength(1);
  });

  it('no source file is over 250 lines, and every top-level folder says what it may import', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((file) => file.endsWith('.ts') && existsSync(`${ROOT}${file}`));
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const lines = readFileSync(`${ROOT}${file}`, 'utf8').split('\n').length - 1;
      expect(lines, file).toBeLessThanOrEqual(250);
    }
    const folders = new Set(files.filter((f) => f.includes('/')).map((f) => f.split('/')[0]!));
    for (const folder of [...folders, 'docs']) {
      const readme = `${ROOT}${folder}/README.md`;
      expect(existsSync(readme), readme).toBe(true);
      expect(readFileSync(readme, 'utf8'), readme).toMatch(/May import/);
    }
  });
});
