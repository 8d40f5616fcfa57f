/** Which tmux server to talk to: a private socket name (`-L`), a socket path (`-S`), or default. */
export interface TmuxTarget {
  readonly socketName?: string | undefined;
  readonly socketPath?: string | undefined;
  /** The tmux executable; `tmux` on PATH by default. */
  readonly command?: string | undefined;
  /**
   * The environment tmux clients run in (the workspace config's): `TMUX_TMPDIR` moves the
   * socket of `-L NAME`, so every call of a run must use the same one.
   */
  readonly env?: NodeJS.ProcessEnv | undefined;
}

export function tmuxCommand(target: TmuxTarget): string {
  return target.command ?? 'tmux';
}

/** The environment of a tmux client call: the target's, else this process's. */
export function tmuxEnv(target: TmuxTarget): NodeJS.ProcessEnv {
  return target.env ?? process.env;
}

/**
 * A value tmux expands as a format (`new-session -c`, `-s`): `#` doubled, so `#(cmd)` or
 * `#{...}` in a directory name is never run or substituted.
 */
export function tmuxFormatLiteral(value: string): string {
  return value.replaceAll('#', '##');
}

/**
 * One argument as tmux reads it back exactly: tmux splits commands at any argument that ends in
 * `;`, and reads a trailing `\;` as a literal `;` (dropping one backslash), so a trailing `;`
 * gets one backslash before it.
 */
function encodeTmuxArgument(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

/**
 * The argv of one tmux client call: the socket selection of `target`, then `commands`, each
 * argument encoded, joined by real `;` separators. Commands are built from typed parts, never by
 * joining strings, so no value can end a command or start another.
 */
export function tmuxArgs(target: TmuxTarget, ...commands: (readonly string[])[]): string[] {
  const args = commands.flatMap((command, i) => [
    ...(i === 0 ? [] : [';']),
    ...command.map(encodeTmuxArgument),
  ]);
  if (target.socketPath) return ['-S', target.socketPath, ...args];
  if (target.socketName) return ['-L', target.socketName, ...args];
  return args;
}

/** An exact-match session target (`=NAME:`); tmux would otherwise match prefixes. */
export function exactSession(name: string): string {
  return `=${name}:`;
}

/** tmux's answer when no server runs on the socket: no sessions, not an error. */
export function isNoServer(stderr: string): boolean {
  return /no server running|error connecting to .*\(No such file or directory\)/.test(stderr);
}

/** tmux's answer while a server is shutting down: ask again shortly, it is about to be gone. */
export function isServerExiting(stderr: string): boolean {
  return /server exited unexpectedly|lost server/.test(stderr);
}
