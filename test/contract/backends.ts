import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { Sandbox } from '../support/sandbox.js';
import { ZELLIJ_EMULATOR_DIR } from '../support/sandbox.js';

/** One multiplexer the contract runs against, driven and observed from outside. */
export interface BackendUnderTest {
  readonly label: string;
  readonly multiplexer: 'tmux' | 'zellij';
  /** Where a zellij backend's sockets are (undefined for tmux). */
  readonly socketDir?: string;
  /** Environment for helios-recover processes (and the backend's own CLI). */
  readonly env: NodeJS.ProcessEnv;
  /** Global CLI options for helios-recover. */
  readonly cli: string[];
  /** Live session names. */
  sessions(): string[];
  /** The pid of a live session's (first) pane process, or null. */
  panePid(name: string): number | null;
  /** What the session's first pane shows, scrollback included (plain text). */
  screen(name: string): string;
  /** The pid of the server process serving `name` (zellij: one per session), or null. */
  serverPid(name: string): number | null;
  /** Starts a session the way a user would (not through helios-recover): `/bin/sh` in `dir`. */
  start(name: string, dir: string): void;
  /** The crash: the server(s) holding `names` die by SIGKILL. */
  crash(names: readonly string[]): void;
  /** Environment in which the backend's binary is `binary` (a stub, or nothing). */
  withBinary(binary: string): NodeJS.ProcessEnv;
  cleanup(): void;
}

/** The real zellij: HELIOS_ZELLIJ_BIN, else `zellij` on PATH; null when there is none. */
export function realZellijBinary(): string | null {
  const named = process.env.HELIOS_ZELLIJ_BIN;
  if (named) return existsSync(named) ? named : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'zellij');
    if (dir && existsSync(candidate) && !dir.startsWith(ZELLIJ_EMULATOR_DIR)) return candidate;
  }
  return null;
}

export function tmuxBackend(sandbox: Sandbox): BackendUnderTest {
  return {
    label: 'tmux',
    multiplexer: 'tmux',
    env: { ...process.env },
    cli: sandbox.cli,
    sessions() {
      try {
        return sandbox.tmux('list-sessions', '-F', '#{session_name}').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    panePid(name) {
      try {
        return Number(sandbox.tmux('display', '-p', '-t', `=${name}:`, '#{pane_pid}').trim());
      } catch {
        return null;
      }
    },
    screen: (name) => sandbox.tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', `=${name}:`),
    serverPid() {
      try {
        return Number(sandbox.tmux('display', '-p', '#{pid}').trim());
      } catch {
        return null;
      }
    },
    start: (name, dir) => void sandbox.tmux('new-session', '-d', '-s', name, '-c', dir, '/bin/sh'),
    crash() {
      const pid = Number(sandbox.tmux('display', '-p', '#{pid}').trim());
      process.kill(pid, 'SIGKILL');
    },
    // Only the stub's dir on PATH: no other tmux can be found.
    withBinary: (binary) => ({ ...process.env, PATH: dirname(binary) }),
    cleanup: () => undefined,
  };
}

/**
 * zellij, real or emulated, in sandbox-private dirs: its own HOME, runtime, cache and config
 * dirs (a config that turns off the startup tips and release notes).
 */
export function zellijBackend(
  sandbox: Sandbox,
  binary: string,
  label: string,
  { socketsInTmpdir = false } = {},
): BackendUnderTest {
  const root = join(sandbox.root, 'z');
  const dirs = ['home', 'run', 'tmp', 'cache', 'config/zellij'].map((d) => join(root, d));
  for (const dir of dirs) mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(root, 'config/zellij/config.kdl'),
    'show_startup_tips false\nshow_release_notes false\n',
  );
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZELLIJ'))),
    HOME: join(root, 'home'),
    // Without XDG_RUNTIME_DIR zellij falls back to $TMPDIR/zellij-UID.
    ...(socketsInTmpdir ? { TMPDIR: join(root, 'tmp') } : { XDG_RUNTIME_DIR: join(root, 'run') }),
    XDG_CACHE_HOME: join(root, 'cache'),
    XDG_CONFIG_HOME: join(root, 'config'),
    HELIOS_ZELLIJ_BIN: binary,
  };
  const zellij = (...args: string[]) =>
    execFileSync(binary, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const socketDir = socketsInTmpdir
    ? join(root, 'tmp', `zellij-${process.getuid?.() ?? 0}`, 'contract_version_1')
    : join(root, 'run', 'zellij', 'contract_version_1');
  const serverPid = (name: string): number | null => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        if (argv.includes('--server') && argv.includes(join(socketDir, name))) return Number(entry);
      } catch {
        // gone meanwhile
      }
    }
    return null;
  };
  /** Children by ppid (zellij forks panes from a thread: task/PID/children would miss them). */
  const children = (pid: number): number[] =>
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .flatMap((entry) => {
        try {
          const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          return Number(fields[1]) === pid
            ? [{ pid: Number(entry), start: Number(fields[19]) }]
            : [];
        } catch {
          return [];
        }
      })
      .sort((a, b) => a.start - b.start || a.pid - b.pid)
      .map((child) => child.pid);
  if (socketsInTmpdir) delete env.XDG_RUNTIME_DIR;
  return {
    label,
    multiplexer: 'zellij',
    socketDir,
    env,
    cli: [
      '--workspace',
      sandbox.workspaceId,
      '--state-dir',
      sandbox.stateDir,
      '--backend',
      'zellij',
    ],
    sessions() {
      try {
        return zellij('list-sessions', '-n')
          .split('\n')
          .filter((line) => line.length > 0 && !line.includes('EXITED'))
          .map((line) => line.split(' ')[0]!);
      } catch {
        return [];
      }
    },
    panePid(name) {
      const server = serverPid(name);
      return (server === null ? undefined : children(server)[0]) ?? null;
    },
    screen(name) {
      const panes = JSON.parse(zellij('--session', name, 'action', 'list-panes', '--json')) as {
        id: number;
        is_plugin: boolean;
      }[];
      const pane = panes.find((p) => !p.is_plugin)!;
      return zellij(
        '--session',
        name,
        'action',
        'dump-screen',
        '--full',
        '--pane-id',
        `terminal_${pane.id}`,
      );
    },
    serverPid,
    start(name, dir) {
      execFileSync(binary, ['attach', '--create-background', name], {
        env: { ...env, SHELL: '/bin/sh' },
        cwd: dir,
        stdio: 'ignore',
      });
    },
    crash(names) {
      for (const name of names) {
        const pid = serverPid(name);
        if (pid !== null) process.kill(pid, 'SIGKILL');
      }
    },
    withBinary: (stub) => ({ ...env, HELIOS_ZELLIJ_BIN: stub }),
    cleanup() {
      try {
        zellij('kill-all-sessions', '-y');
      } catch {
        // none live
      }
      for (const name of existsSync(socketDir) ? readdirSync(socketDir) : []) {
        const pid = serverPid(name);
        if (pid !== null) process.kill(pid, 'SIGKILL');
      }
    },
  };
}

export const ZELLIJ_EMULATOR = join(ZELLIJ_EMULATOR_DIR, 'zellij');
