import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The multiplexer the demo drives from outside: tmux on a private socket, or real zellij. */
export interface DemoMux {
  readonly backend: 'tmux' | 'zellij';
  /** Global CLI options selecting it. */
  readonly cli: string[];
  create(name: string, cwd: string, env: Record<string, string>): void;
  type(name: string, line: string): void;
  /** `  NAME  CWD` lines of the live sessions. */
  listing(): string;
  /** The crash: every server dies by SIGKILL. */
  crash(): void;
  cleanup(): void;
}

const run = (file: string, args: string[], env?: NodeJS.ProcessEnv, cwd?: string) =>
  execFileSync(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

export function tmuxDemo(socket: string): DemoMux {
  const tmux = (...args: string[]) => run('tmux', ['-L', socket, ...args]);
  return {
    backend: 'tmux',
    cli: ['--tmux-socket', socket, '--backend', 'tmux'],
    create(name, cwd, env) {
      const vars = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
      tmux('new-session', '-d', '-s', name, '-c', cwd, ...vars, '-x', '120', '-y', '30');
    },
    type: (name, line) => void tmux('send-keys', '-t', `=${name}:`, line, 'Enter'),
    listing: () => tmux('list-sessions', '-F', '  #{session_name}  #{pane_current_path}'),
    crash: () => void tmux('kill-server'),
    cleanup() {
      try {
        tmux('kill-server');
      } catch {
        // no server left: nothing to stop
      }
    },
  };
}

/**
 * Real zellij with sandbox-private HOME, runtime, cache and config dirs (no startup tips or
 * release notes). The in-process CLI sees the same dirs: they are set on this process.
 */
export function zellijDemo(root: string): DemoMux {
  const dirs = { home: 'home', run: 'run', cache: 'cache', config: 'config' };
  for (const dir of Object.values(dirs))
    mkdirSync(join(root, dir), { recursive: true, mode: 0o700 });
  mkdirSync(join(root, 'config', 'zellij'), { recursive: true });
  writeFileSync(
    join(root, 'config', 'zellij', 'config.kdl'),
    'show_startup_tips false\nshow_release_notes false\n',
  );
  for (const key of Object.keys(process.env)) if (key.startsWith('ZELLIJ')) delete process.env[key];
  Object.assign(process.env, {
    HOME: join(root, 'home'),
    XDG_RUNTIME_DIR: join(root, 'run'),
    XDG_CACHE_HOME: join(root, 'cache'),
    XDG_CONFIG_HOME: join(root, 'config'),
  });
  const bin = process.env.HELIOS_ZELLIJ_BIN || 'zellij';
  const zellij = (args: string[], extra: Record<string, string> = {}, cwd?: string) =>
    run(bin, args, { ...process.env, ...extra }, cwd);
  const socketDir = join(root, 'run', 'zellij', 'contract_version_1');
  const servers = () =>
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((entry) => {
        try {
          return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`\0${socketDir}/`);
        } catch {
          return false;
        }
      })
      .map(Number);
  return {
    backend: 'zellij',
    cli: ['--backend', 'zellij'],
    create: (name, cwd, env) =>
      void zellij(['attach', '--create-background', name], { ...env, SHELL: '/bin/sh' }, cwd),
    type(name, line) {
      // A session just created may not take input yet (a loaded machine): retry for 5 s.
      for (const deadline = Date.now() + 5_000; ;) {
        try {
          zellij(['--session', name, 'action', 'write-chars', `${line}\n`]);
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        }
      }
    },
    listing() {
      try {
        return zellij(['list-sessions', '-n'])
          .split('\n')
          .filter(Boolean)
          .map((line) => `  ${line}\n`)
          .join('');
      } catch {
        return '  (no sessions)\n';
      }
    },
    crash() {
      for (const pid of servers()) process.kill(pid, 'SIGKILL');
    },
    cleanup() {
      for (const pid of servers()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    },
  };
}
