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
    sessions.push({
      name: match[1]!,
      state: suffix.startsWith('EXITED') ? 'exited' : 'live',
      current: suffix === 'current',
      created: match[2]!,
    });
  }
  return sessions;
}

/** zellij's answer when there are no sessions at all (exit 1): an empty list. */
export function isNoZellijSessions(stderr: string): boolean {
  return stderr.replace(ANSI, '').includes('No active zellij sessions found');
}

/** The socket dir zellij uses: `$ZELLIJ_SOCKET_DIR`, else `$XDG_RUNTIME_DIR/zellij`, else /tmp. */
export function zellijSocketDir(env: NodeJS.ProcessEnv, uid: number): string {
  if (env.ZELLIJ_SOCKET_DIR) return env.ZELLIJ_SOCKET_DIR;
  if (env.XDG_RUNTIME_DIR) return `${env.XDG_RUNTIME_DIR}/zellij`;
  return `/tmp/zellij-${uid}`;
}
