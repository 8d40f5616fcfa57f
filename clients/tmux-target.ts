/**
 * Which tmux server to talk to: a private socket name (`-L`), a socket path (`-S`), or default.
 * Every call goes through `runTmux` (tmux-runner.ts).
 */
export interface TmuxTarget {
  readonly socketName?: string | undefined;
  readonly socketPath?: string | undefined;
  /** The tmux executable; `tmux` on the PATH of `env` by default. */
  readonly command?: string | undefined;
  /**
   * The environment tmux clients run in: the workspace config's, never this process's
   * (`TMUX_TMPDIR` moves the socket of `-L NAME`, so every call of a run must use the same one).
   */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * A value tmux expands as a format (`new-session -c`, `-s`): `#` doubled, so `#(cmd)` or
 * `#{...}` in a directory name is never run or substituted.
 */
export function tmuxFormatLiteral(value: string): string {
  return value.replaceAll('#', '##');
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
