import { MARKER_ENV, isMarkerName } from '../specs/markers.js';
import { userShell } from '../specs/shell-quoting.js';
import { readProcess, readProcessEnviron } from './proc-table.js';

/** Variables set by the terminal or the multiplexer itself: never part of a session's env. */
const NOISE = new Set([
  '_',
  'PWD',
  'OLDPWD',
  'SHLVL',
  'TERM',
  'TERM_PROGRAM',
  'TERM_PROGRAM_VERSION',
  'COLORTERM',
  'COLUMNS',
  'LINES',
  'TMUX',
  'TMUX_PANE',
]);

function isNoise(key: string): boolean {
  return NOISE.has(key) || isMarkerName(key) || key.startsWith('ZELLIJ');
}

/** What a pane's environment says: the variables it adds, and its markers if it has them. */
export interface PaneEnvironment {
  readonly added: Record<string, string>;
  readonly workspaceId: string | null;
  readonly instanceId: string | null;
  readonly sessionId: string | null;
}

/**
 * The variables a pane's shell has on top of `base` (its server's or our environment): what the
 * session itself added. Markers and terminal noise are left out. Null when /proc is unreadable.
 */
export async function captureEnvironment(
  panePid: number,
  base: Readonly<Record<string, string | undefined>>,
): Promise<PaneEnvironment | null> {
  const environ = await readProcessEnviron(panePid);
  if (environ === null) return null;
  const added: Record<string, string> = {};
  for (const key of Object.keys(environ).sort()) {
    if (!isNoise(key) && base[key] !== environ[key] && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      added[key] = environ[key]!;
    }
  }
  return {
    added,
    workspaceId: environ[MARKER_ENV.workspace] ?? null,
    instanceId: environ[MARKER_ENV.instance] ?? null,
    sessionId: environ[MARKER_ENV.session] ?? null,
  };
}

/**
 * The shell command of a pane from /proc/PID/cmdline. A login shell shows as `-bash`: that is
 * recorded as `bash -l`. Falls back to `$SHELL -l`.
 */
export async function captureShellCommand(
  panePid: number,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const info = await readProcess(panePid);
  const argv = info?.argv.filter((arg) => arg.length > 0) ?? [];
  const first = argv[0];
  if (first === undefined) return [userShell(env), '-l'];
  if (first.startsWith('-')) return [first.slice(1), '-l', ...argv.slice(1)];
  return argv;
}
