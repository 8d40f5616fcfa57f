/*
 * The systemd user unit that keeps the `run` daemon going for one workspace, as text.
 * Quoting follows systemd.syntax(7) and systemd.service(5) "Command lines": every word is
 * double-quoted with C-style escapes, `%` (a specifier) is written `%%`, and in ExecStart= a `$`
 * (a variable) is written `$$`; Environment= values expand no variables, so `$` stays there.
 */

/** The first line of every unit `service install` writes; uninstall removes no other file. */
export const UNIT_MARK = '# written by helios-recover: its service install';

/** A unit name, its `.service` suffix included, is at most this long (systemd's UNIT_NAME_MAX). */
const UNIT_NAME_MAX = 255;

/** Restarts allowed within the interval before systemd gives up on the unit. */
export const START_LIMIT = { intervalSec: 300, burst: 5 } as const;

/**
 * What the daemon keeps of the installing shell's environment: where its programs are (PATH:
 * tmux, zellij, git), the shell and locale a respawned session gets, and where the multiplexers
 * keep their sockets. Nothing else is copied: a user manager's services get HOME, USER and
 * XDG_RUNTIME_DIR from systemd itself, and no other variable of the shell (tokens) is wanted.
 */
export const SERVICE_ENVIRONMENT = [
  'PATH',
  'SHELL',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TMUX_TMPDIR',
  'HELIOS_ZELLIJ_BIN',
] as const;

/**
 * `helios-recover-<workspace>.service`. Characters a unit name cannot hold, and `@` (it would
 * make the unit a template instance), are written `\xNN` as systemd-escape writes them; a
 * workspace id never holds a backslash, so two ids never share a unit name.
 */
export function unitNameOf(workspaceId: string): string {
  if (workspaceId === '') throw new Error('a workspace id is needed for a unit name');
  let escaped = '';
  for (const byte of new TextEncoder().encode(workspaceId)) {
    const ch = String.fromCharCode(byte);
    escaped += /[A-Za-z0-9_.:-]/.test(ch) ? ch : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  const name = `helios-recover-${escaped}.service`;
  if (name.length > UNIT_NAME_MAX)
    throw new Error(
      `workspace id "${workspaceId}" is too long for a systemd unit name (${name.length} of at most ${UNIT_NAME_MAX} characters)`,
    );
  return name;
}

function escapeWord(word: string, variables: boolean): string {
  let out = '';
  for (const ch of word) {
    const code = ch.codePointAt(0)!;
    if (code === 0) throw new Error('a NUL byte cannot be passed to a systemd unit');
    if (code >= 0xd800 && code <= 0xdfff)
      throw new Error('a lone UTF-16 surrogate cannot be written to a systemd unit');
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '%') out += '%%';
    else if (ch === '$' && variables) out += '$$';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** One word of an ExecStart= line: systemd hands the program exactly `word`. */
export function quoteExecWord(word: string): string {
  return `"${escapeWord(word, true)}"`;
}

/** One Environment= assignment, quoted: the service sees `name` set to exactly `value`. */
export function quoteEnvironment(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid variable name "${name}"`);
  // systemd refuses a value with control characters (env_value_is_valid): say so, do not drop it.
  if (/[\x00-\x1f\x7f]/.test(value))
    throw new Error(`$${name} holds a control character: it cannot be passed to a systemd unit`);
  return `"${escapeWord(`${name}=${value}`, false)}"`;
}

/** What `run` in the unit is told: the workspace options, each as the CLI spells it. */
export interface ServiceRun {
  readonly workspaceId: string;
  /** Absolute: the unit does not run in the directory `install` ran in. */
  readonly stateDir: string;
  readonly backend?: 'tmux' | 'zellij' | 'auto' | undefined;
  readonly tmuxSocket?: string | undefined;
  readonly tmuxSocketPath?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly prune?: boolean | undefined;
  readonly allowEnv?: readonly string[] | undefined;
  readonly restorePrograms?: readonly string[] | undefined;
}

/**
 * Node's flags for the `run` daemon (before the CLI file): a young generation of 1 MB per
 * semi-space instead of the up to 16 MB node grows it to under the loop's steady garbage, and
 * V8's size-optimised code. With 10 sessions and a `session open`/`close` churn the daemon held
 * 107 MB RSS without them, 75 MB with them (docs/PERFORMANCE.md, the run of 2026-12-02).
 */
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=1', '--optimize-for-size'] as const;

/** The arguments of the `run` daemon for this workspace (after the CLI file). */
export function runArgsOf(run: ServiceRun): string[] {
  const args = ['run', '--workspace', run.workspaceId, '--state-dir', run.stateDir];
  if (run.backend && run.backend !== 'auto') args.push('--backend', run.backend);
  if (run.tmuxSocket !== undefined) args.push('--tmux-socket', run.tmuxSocket);
  if (run.tmuxSocketPath !== undefined) args.push('--tmux-socket-path', run.tmuxSocketPath);
  if (run.timeoutMs !== undefined) args.push('--timeout', String(run.timeoutMs));
  if (run.prune) args.push('--prune');
  if (run.allowEnv?.length) args.push('--allow-env', run.allowEnv.join(','));
  if (run.restorePrograms?.length) args.push('--restore-programs', run.restorePrograms.join(','));
  return args;
}

export interface UnitSpec {
  /** Absolute path of node, and of the built CLI file. */
  readonly nodePath: string;
  readonly cliPath: string;
  readonly run: ServiceRun;
  /** Variables of SERVICE_ENVIRONMENT that are set, in that order. */
  readonly environment: readonly (readonly [string, string])[];
}

/**
 * systemd takes the executable only as an absolute path without quotes, backslashes or control
 * characters ("Executable path contains special characters"); every other word may hold any.
 */
function checkExecutable(path: string): string {
  if (!path.startsWith('/') || /["'\\\x00-\x1f\x7f]/.test(path))
    throw new Error(`node's path "${path}" cannot be a systemd executable (absolute, no quotes)`);
  return path;
}

/** The unit file's text. */
export function renderUnit(spec: UnitSpec): string {
  const id = spec.run.workspaceId;
  const exec = [
    checkExecutable(spec.nodePath),
    ...DAEMON_NODE_FLAGS,
    spec.cliPath,
    ...runArgsOf(spec.run),
  ];
  return [
    UNIT_MARK,
    `# It runs the \`run\` daemon for workspace ${id}; the CLI's \`service uninstall -w ${id}\` removes it.`,
    '[Unit]',
    `Description=helios-recover daemon for workspace ${id.replace(/%/g, '%%')}`,
    `StartLimitIntervalSec=${START_LIMIT.intervalSec}`,
    `StartLimitBurst=${START_LIMIT.burst}`,
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec.map(quoteExecWord).join(' ')}`,
    'Restart=on-failure',
    'RestartSec=2',
    '# Stopping or restarting the unit stops the daemon only, never the tmux or zellij servers',
    '# it started (they run in its cgroup): their sessions are the work it keeps.',
    'KillMode=process',
    ...spec.environment.map(([name, value]) => `Environment=${quoteEnvironment(name, value)}`),
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

/** True when `text` is a unit `service install` wrote (its first line is the mark). */
export function isOurUnit(text: string): boolean {
  return text.startsWith(`${UNIT_MARK}\n`);
}
