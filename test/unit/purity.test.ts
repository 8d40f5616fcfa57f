import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Node modules that reach the world: files, processes, sockets, the host, the terminal. */
const IO_MODULES =
  /^node:(fs|fs\/promises|child_process|net|dgram|http|https|http2|os|process|readline|tty|worker_threads|cluster|dns|inspector)$/;

function sourcesOf(folder: string): { file: string; text: string; imports: string[] }[] {
  return readdirSync(`${ROOT}${folder}`)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => {
      const text = readFileSync(`${ROOT}${folder}/${name}`, 'utf8');
      const imports = [...text.matchAll(/(?<![\w'"])(?:from|import)\s*\(?\s*'([^']+)'/g)].map(
        (m) => m[1]!,
      );
      return { file: `${folder}/${name}`, text, imports };
    });
}

describe.each(['specs', 'diff'])('%s/ is pure', (folder) => {
  it('imports no I/O module, and nothing outside specs/ but libraries without I/O', () => {
    const files = sourcesOf(folder);
    expect(files.length).toBeGreaterThan(5);
    for (const { file, imports } of files)
      for (const source of imports) {
        expect(source, `${file} imports ${source}`).not.toMatch(IO_MODULES);
        expect(source, `${file} imports ${source}`).toMatch(
          folder === 'diff'
            ? /^(\.\/|\.\.\/specs\/)/
            : /^(\.\/|node:(crypto|path|util)$|zod$|shell-quote$)/,
        );
      }
  });

  it('loads nothing at run time and reads no process state', () => {
    for (const { file, text } of sourcesOf(folder)) {
      expect(text, `${file} has a dynamic import`).not.toMatch(/\bimport\s*\(|require\(/);
      expect(text, `${file} touches the process`).not.toMatch(/process\.(env|pid|kill|cwd|argv)/);
    }
  });
});

describe('diff/ is deterministic', () => {
  it('reads no clock and draws no random number: time comes in through the policy', () => {
    for (const { file, text } of sourcesOf('diff')) {
      expect(text, `${file} reads the clock`).not.toMatch(/\bDate\b|performance\.now\(/);
      expect(text, `${file} draws a random number`).not.toMatch(
        /Math\.random|randomUUID|randomBytes/,
      );
    }
  });
});
