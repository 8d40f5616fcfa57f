import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

let made = 0;

/**
 * A stand-in for tmux or zellij in `dir` (a real process, not a mock): it records the argv,
 * environment and cwd it was started with (`seen()`), prints `said` on stdout and `complains` on
 * stderr, and exits with `exit`; with `hang` it runs until it is killed.
 */
export function fakeProgram(dir: string, behaviour: { exit?: number; hang?: boolean } = {}) {
  made += 1;
  const program = join(dir, `fake-program-${made}`);
  const record = join(dir, `record-${made}.json`);
  writeFileSync(
    program,
    `#!${process.execPath}
require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() }));
process.stdout.write('said\\n');
process.stderr.write('complains\\n');
${behaviour.hang ? 'setInterval(() => {}, 1000);' : `process.exitCode = ${behaviour.exit ?? 0};`}
`,
  );
  chmodSync(program, 0o755);
  return {
    program,
    seen: () =>
      JSON.parse(readFileSync(record, 'utf8')) as {
        argv: string[];
        env: Record<string, string>;
        cwd: string;
      },
  };
}
