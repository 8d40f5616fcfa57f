import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * systemd's reading of unit files, for the service tests: a reference reader after
 * systemd.syntax(7) and systemd.service(5), and systemd-analyze itself when it runs here.
 */

/** Runs `file args`: exit code, stdout and stderr apart. */
export function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(file, [...args], { env, encoding: 'utf8' }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

/*
 * A reference reader of what systemd makes of a setting, after systemd.syntax(7) "Quoting" and
 * systemd.service(5) "Command lines" (extract_first_word with quotes and C escapes, then the
 * `%` specifiers of each word, then, for ExecStart= only, `$` variables when the program runs).
 * It refuses whatever a quoted word must not lean on: another specifier, a variable.
 */
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
  s: ' ',
};

function unescapeAt(text: string, i: number): [string, number] {
  const c = text[i]!;
  if (c in SIMPLE_ESCAPES) return [SIMPLE_ESCAPES[c]!, i + 1];
  const code = (digits: string, base: number) => {
    const value = parseInt(digits, base);
    if (Number.isNaN(value) || value === 0) throw new Error(`bad escape \\${c}${digits}`);
    return String.fromCodePoint(value);
  };
  if (c === 'x') return [code(text.slice(i + 1, i + 3), 16), i + 3];
  if (c === 'u') return [code(text.slice(i + 1, i + 5), 16), i + 5];
  if (c === 'U') return [code(text.slice(i + 1, i + 9), 16), i + 9];
  if (/[0-7]/.test(c)) return [code(text.slice(i, i + 3), 8), i + 3];
  throw new Error(`unknown escape \\${c}`);
}

function splitWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && /[ \t]/.test(line[i]!)) i += 1;
    if (i >= line.length) return words;
    let word = '';
    let quote = '';
    while (i < line.length && (quote || !/[ \t]/.test(line[i]!))) {
      const c = line[i]!;
      if (c === '\\') {
        const [unescaped, next] = unescapeAt(line, i + 1);
        [word, i] = [word + unescaped, next];
      } else if (quote && c === quote) [quote, i] = ['', i + 1];
      else if (!quote && (c === '"' || c === "'")) [quote, i] = [c, i + 1];
      else [word, i] = [word + c, i + 1];
    }
    if (quote) throw new Error('unbalanced quoting');
    words.push(word);
  }
}

const specifiers = (word: string) =>
  word.replace(/%(.?)/gs, (_, next: string) => {
    if (next !== '%') throw new Error(`specifier %${next} in ${JSON.stringify(word)}`);
    return '%';
  });

const variables = (word: string) =>
  word.replace(/\$(.?)/gs, (_, next: string) => {
    if (next !== '$') throw new Error(`variable $${next} in ${JSON.stringify(word)}`);
    return '$';
  });

/** The argv systemd runs for an ExecStart= value. */
export const execArgv = (value: string) => splitWords(value).map(specifiers).map(variables);
/** The assignments an Environment= value makes. */
export const environmentOf = (value: string) => splitWords(value).map(specifiers);

/** Decodes systemd's "Command Line:" dump (shell-style quoting, octal for control bytes). */
export function decodeDump(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i += 1;
      continue;
    }
    const bytes: number[] = [];
    const push = (text: string) => bytes.push(...Buffer.from(text, 'utf8'));
    if (line[i] !== '"') {
      const end = line.indexOf(' ', i) === -1 ? line.length : line.indexOf(' ', i);
      push(line.slice(i, end));
      i = end;
    } else {
      const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b' };
      for (i += 1; line[i] !== '"';) {
        if (line[i] !== '\\') {
          const ch = String.fromCodePoint(line.codePointAt(i)!);
          push(ch);
          i += ch.length;
        } else if (/[0-7]{3}/.test(line.slice(i + 1, i + 4))) {
          bytes.push(parseInt(line.slice(i + 1, i + 4), 8));
          i += 4;
        } else {
          push(SIMPLE[line[i + 1]!] ?? line[i + 1]!);
          i += 2;
        }
      }
      i += 1;
    }
    words.push(Buffer.from(bytes).toString('utf8'));
  }
  return words;
}

const hasSystemdAnalyze = (() => {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * `systemd-analyze verify --user FILE` in `env` (its XDG_RUNTIME_DIR must be a private dir):
 * its exit code, its warnings (stderr at the info level) and the ExecStart= argv it parsed
 * (`$$` not yet expanded: that happens when the program runs), or why it cannot run here.
 */
export async function verifyUnit(
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<{ cannot: string } | { code: number; warnings: string; argv: string[] | undefined }> {
  if (!hasSystemdAnalyze) return { cannot: 'systemd-analyze is not installed' };
  const verify = (level: string) =>
    run('systemd-analyze', ['verify', '--user', file], { ...env, SYSTEMD_LOG_LEVEL: level });
  const verified = await verify('info');
  if (/Failed to initialize manager/.test(verified.stderr))
    return { cannot: `systemd-analyze cannot run here: ${verified.stderr.split('\n')[0]}` };
  const dump = /\tCommand Line: (.*)/.exec((await verify('debug')).stdout)?.[1];
  return {
    code: verified.code,
    warnings: verified.stderr,
    argv: dump === undefined ? undefined : decodeDump(dump),
  };
}

export const CLI = fileURLToPath(new URL('../../dist/bin/helios-recover.js', import.meta.url));

/** A temp XDG_CONFIG_HOME and state dir for `service` tests, where no user manager answers. */
export function createServiceSandbox() {
  const root = mkdtempSync(join(tmpdir(), 'helios-service-'));
  // An empty runtime dir and no session bus: no user manager answers, on any machine, so no
  // test can start a real service; this is the "not reachable" path, for real.
  const runtime = join(root, 'run');
  mkdirSync(runtime, { mode: 0o700 });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_RUNTIME_DIR: runtime,
  };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  // `+` and `@` cannot be in a unit name as they are; the state dir is hard to quote.
  const id = randomBytes(3).toString('hex');
  const ws = `test-${id}+x@y`;
  const stateDir = join(root, `state dir 100% $HOME "q" back\\slash 'it'`);
  const unit = `helios-recover-test-${id}\\x2bx\\x40y.service`;
  return {
    root,
    env,
    ws,
    stateDir,
    unit,
    unitFile: join(root, 'config', 'systemd', 'user', unit),
    cli: ['-w', ws, '--state-dir', stateDir, '-L', `helios-test-${id}`, '--backend', 'tmux'],
    helios: (args: readonly string[], withEnv = env) =>
      run(process.execPath, [CLI, ...args], withEnv),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
export type ServiceSandbox = ReturnType<typeof createServiceSandbox>;

export const jsonOf = (text: string) => JSON.parse(text.trim()) as Record<string, any>;
