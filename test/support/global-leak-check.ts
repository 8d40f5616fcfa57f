import { readdirSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';

/**
 * Suite-wide guard: after all tests, no process may carry a marker env of a test workspace
 * (HELIOS_WORKSPACE_ID=test-*), and no tmux server of a test socket (helios-test-*) and no
 * zellij server (real or emulated) of a test sandbox (/tmp/helios-test-*) may remain, and no
 * `helios-*` temp dir that was not there before the run.
 */
async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const [environ, cmdline] = await Promise.all([
      readFile(`/proc/${name}/environ`, 'utf8').catch(() => ''),
      readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => ''),
    ]);
    const argv = cmdline.split('\0').join(' ').trim();
    if (/(^|\0)HELIOS_WORKSPACE_ID=test-/.test(environ))
      found.push(`${name}: ${argv} (test workspace marker)`);
    else if (/^tmux .*-L helios-test-/.test(argv))
      found.push(`${name}: ${argv} (test tmux server)`);
    else if (/--server \S*helios-test-/.test(argv))
      found.push(`${name}: ${argv} (test zellij server)`);
  }
  return found;
}

/** Temp dirs of ours (`helios-*`); the shared empty HOME of every test shell stays. */
function tempDirs(): Set<string> {
  return new Set(
    readdirSync(tmpdir()).filter(
      (name) => name.startsWith('helios-') && name !== 'helios-test-home',
    ),
  );
}

let tempDirsBefore = new Set<string>();

export function setup(): void {
  tempDirsBefore = tempDirs();
}

export async function teardown(): Promise<void> {
  const problems: string[] = [];
  // Servers killed by the last test may still be delivering SIGHUP to their shells: give them a
  // moment to exit, then anything left is a leak.
  let found = await leftovers();
  for (let waited = 0; found.length > 0 && waited < 3_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    found = await leftovers();
  }
  if (found.length > 0)
    problems.push(`tests left ${found.length} process(es) running:\n${found.join('\n')}`);
  const leftDirs = [...tempDirs()].filter((name) => !tempDirsBefore.has(name));
  if (leftDirs.length > 0)
    problems.push(
      `tests left ${leftDirs.length} temp dir(s) in ${tmpdir()}: ${leftDirs.join(', ')}`,
    );
  if (problems.length === 0) return;
  // vitest reports an error thrown here but still exits 0: the exit status must say it too.
  process.exitCode = 1;
  throw new Error(problems.join('\n'));
}
