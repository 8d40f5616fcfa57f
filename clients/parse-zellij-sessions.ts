/** One line of `zellij list-sessions -n`. */
export interface ZellijListedSession {
  readonly name: string;
  readonly state: 'live' | 'exited';
  readonly current: boolean;
  /** The "Created ... ago" text, kept verbatim. */
  readonly created: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
const LINE = /^(\S+) \[Created (.*?) ago\](?: \((.*?)\))?\s*$/;

/**
 * Parses `zellij list-sessions -n` (oldest first). Colour codes are stripped defensively since
 * zellij prints them even when piped. Lines that do not match are ignored.
 */
export function parseZellijSessions(stdout: string): ZellijListedSession[] {
  const sessions: ZellijListedSession[] = [];
  for (const rawLine of stdout.replace(ANSI, '').split('\n')) {
    const match = LINE.exec(rawLine.trimStart());
    if (!match) continue;
    const suffix = match[3] ?? '';
    // `(current)` wins over `(EXITED ...)`: the session we are in is live.
    const current = suffix.includes('current');
    sessions.push({
      name: match[1]!,
      state: suffix.includes('EXITED') && !current ? 'exited' : 'live',
      current,
      created: match[2]!,
    });
  }
  return sessions;
}

/** zellij's answer when there are no sessions at all (exit 1): an empty list. */
export function isNoZellijSessions(stderr: string): boolean {
  return stderr.replace(ANSI, '').includes('No active zellij sessions found');
}

/**
 * The socket dir zellij uses: `$ZELLIJ_SOCKET_DIR`, else `$XDG_RUNTIME_DIR/zellij`, else
 * `$TMPDIR/zellij-UID` (TMPDIR defaulting to /tmp), as zellij 0.44+ computes it.
 */
export function zellijSocketDir(env: NodeJS.ProcessEnv, uid: number): string {
  if (env.ZELLIJ_SOCKET_DIR) return env.ZELLIJ_SOCKET_DIR;
  if (env.XDG_RUNTIME_DIR) return `${env.XDG_RUNTIME_DIR}/zellij`;
  return `${(env.TMPDIR || '/tmp').replace(/\/+$/, '')}/zellij-${uid}`;
}

/** The IPC socket of session `name` (zellij 0.44+ keeps sockets under contract_version_1). */
export function zellijSocketPath(env: NodeJS.ProcessEnv, uid: number, name: string): string {
  return `${zellijSocketDir(env, uid)}/contract_version_1/${name}`;
}

/** A Unix socket path holds at most 107 bytes; zellij refuses (or hangs on) a longer one. */
export const MAX_SOCKET_PATH_BYTES = 107;
