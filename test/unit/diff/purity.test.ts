import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIFF = fileURLToPath(new URL('../../../diff/', import.meta.url));

describe('diff/ is pure', () => {
  it('imports only specs/ and its own modules: no fs, child processes, logger or clock source', () => {
    const files = readdirSync(DIFF).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = readFileSync(`${DIFF}${file}`, 'utf8');
      const sources = [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
      for (const source of sources)
        expect(source, `${file} imports ${source}`).toMatch(/^(\.\/|\.\.\/specs\/)/);
      expect(text, `${file} reads the clock`).not.toMatch(
        /Date\.now\(|new Date\(|performance\.now\(/,
      );
      expect(text, `${file} touches the process`).not.toMatch(/process\.(env|pid|kill)|require\(/);
    }
  });
});
