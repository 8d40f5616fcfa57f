import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

function importsOf(folder: string): [string, string][] {
  return readdirSync(`${ROOT}${folder}`)
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => {
      const text = readFileSync(`${ROOT}${folder}/${name}`, 'utf8');
      return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map(
        (m) => [`${folder}/${name}`, m[1]!] as [string, string],
      );
    });
}

describe('the house: who may import whom', () => {
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
      expect(source, file).toMatch(/^(\.\/|\.\.\/specs\/|node:|rxjs$|immer$)/);
  });

  it('facades/ sit above the composition root: compose.ts, banner/, specs/ and rxjs only', () => {
    for (const [file, source] of importsOf('facades'))
      expect(source, file).toMatch(
        /^(\.\/|\.\.\/controllers\/compose\.js$|\.\.\/banner\/|\.\.\/specs\/|rxjs$)/,
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

  it('clients/ imports only clients/, specs/, store/ and Node built-ins', () => {
    for (const [file, source] of importsOf('clients'))
      expect(source, file).toMatch(/^(\.\/|\.\.\/specs\/|\.\.\/store\/|node:)/);
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
      for (const name of readdirSync(`${ROOT}${folder}`).filter((n) => n.endsWith('.ts'))) {
        if (`${folder}/${name}` === 'clients/git.ts') continue;
        const text = readFileSync(`${ROOT}${folder}/${name}`, 'utf8');
        expect(text, `${folder}/${name}`).not.toMatch(/(runCommand|spawn|execFile\w*)\(\s*'git'/);
      }
  });

  it('one runner per tool: only runTmux, runZellij and runGit call runCommand', () => {
    const RUNNERS = ['clients/tmux-runner.ts', 'clients/zellij-target.ts', 'clients/git.ts'];
    for (const folder of SOURCE_FOLDERS)
      for (const name of readdirSync(`${ROOT}${folder}`).filter((n) => n.endsWith('.ts'))) {
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
