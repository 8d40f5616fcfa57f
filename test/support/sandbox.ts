import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../bin/main.js';

export const ZELLIJ_EMULATOR_DIR = fileURLToPath(new URL('../fixtures/zellij', import.meta.url));

/** A test workspace: temp dir, private tmux socket, `test-*` workspace id. Always `cleanup()`. */
export interface Sandbox {
  readonly root: string;
  readonly stateDir: string;
  readonly workspaceId: string;
  readonly socket: string;
  /** Global CLI options pointing at this sandbox. */
  readonly cli: string[];
  dir(...parts: string[]): string;
  tmux(...args: string[]): string;
  /** Starts tmux sessions named `names`, each in its own dir, with an interactive shell that
   * starts at once (a login shell may run slow profile scripts), and waits for them. */
  startSessions(names: readonly string[]): Promise<void>;
  /**
   * Waits until every pane of the sandbox's tmux server has exec'd its program: between tmux's
   * fork and the exec, /proc shows the pane with the tmux server's argv, and a checkpoint taken
   * then records that instead of the pane's command.
   */
  panesReady(): Promise<void>;
  cleanup(): void;
}

export function createSandbox(backend: 'tmux' | 'zellij' = 'tmux'): Sandbox {
  const id = randomBytes(4).toString('hex');
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'helios-test-')));
  const socket = `helios-test-${id}`;
  const workspaceId = `test-${id}`;
  const stateDir = join(root, 'state');
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', socket, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  return {
    root,
    stateDir,
    workspaceId,
    socket,
    cli: [
      '--workspace',
      workspaceId,
      '--state-dir',
      stateDir,
      '--tmux-socket',
      socket,
      '--backend',
      backend,
    ],
    dir(...parts) {
      const path = join(root, ...parts);
      mkdirSync(path, { recursive: true });
      return path;
    },
    tmux,
    async startSessions(names) {
      for (const name of names) {
        const dir = join(root, name);
        mkdirSync(dir, { recursive: true });
        tmux('new-session', '-d', '-s', name, '-c', dir, 'bash --noprofile --norc -i');
      }
      await this.panesReady();
    },
    async panesReady() {
      const panes = () => {
        try {
          return tmux('list-panes', '-a', '-F', '#{pane_pid}').split('\n').filter(Boolean);
        } catch {
          return [];
        }
      };
      const execd = (pid: string) => {
        try {
          const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
          return argv0 !== '' && !/(^|\/)tmux$/.test(argv0);
        } catch {
          return true; // exited already: nothing left to wait for
        }
      };
      await waitFor(() => panes().every(execd), 10_000, "every pane has exec'd its program");
    },
    cleanup() {
      try {
        tmux('kill-server');
      } catch {
        // no server: nothing to stop
      }
      // tmux (3.3a) leaves its socket file behind when its server exits, kill-server or not:
      // about 190 of them per run of the suite had piled up in /tmp/tmux-UID.
      rmSync(tmuxSocketFile(socket), { force: true });
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Where tmux puts the socket `-L name` names: $TMUX_TMPDIR (else /tmp), tmux-UID, name. */
export const tmuxSocketFile = (name: string): string =>
  join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, name);

/** `ask()` again while it answers nothing, 10 times at most: a busy zellij server may answer
 * a query with no output at all (seen under load). */
export function askUntilAnswered(ask: () => string): string {
  let answer = '';
  for (let attempt = 0; attempt < 10 && answer.trim() === ''; attempt += 1) answer = ask();
  return answer;
}

/** Runs the CLI in-process (for coverage) and captures its output. */
export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

/** Lines of `--json` output, parsed. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` is true (polling), or throws after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** git in `repo` with a throwaway identity (tests never depend on the machine's git config). */
export function gitIn(repo: string): (...args: string[]) => Buffer {
  return (...args) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
      cwd: repo,
      stdio: 'pipe',
    });
}

const BUILT_CLI = fileURLToPath(new URL('../../dist/bin/helios-recover.js', import.meta.url));

/** Runs the built CLI as a separate process, exactly as a user would. */
export function runBuiltCli(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [BUILT_CLI, ...args],
      { encoding: 'utf8' },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr,
        }),
    ),
  );
}

/** The library's options for this sandbox (its workspace, state dir and tmux socket). */
export const libraryOptions = (sandbox: Sandbox) => ({
  workspace: sandbox.workspaceId,
  stateDir: sandbox.stateDir,
  tmuxSocket: sandbox.socket,
  backend: 'tmux' as const,
});

/**
 * Kills the sandbox's tmux server and waits until it has exited: kill-server returns first, and
 * a session started meanwhile meets the dying server ("server exited unexpectedly").
 */
export async function killTmuxServer(sandbox: Sandbox): Promise<void> {
  try {
    sandbox.tmux('kill-server');
  } catch {
    return; // no server
  }
  await waitFor(
    () => {
      try {
        sandbox.tmux('list-sessions');
        return false;
      } catch (error) {
        return /no server running|error connecting/.test(
          String((error as { stderr?: string }).stderr),
        );
      }
    },
    5_000,
    'the tmux server to exit',
  );
}
