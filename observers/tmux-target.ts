/** Which tmux server to talk to: a private socket name (`-L`), a socket path (`-S`), or default. */
export interface TmuxTarget {
  readonly socketName?: string | undefined;
  readonly socketPath?: string | undefined;
  /** The tmux executable; `tmux` on PATH by default. */
  readonly command?: string | undefined;
}

export function tmuxCommand(target: TmuxTarget): string {
  return target.command ?? 'tmux';
}

/** Prefixes `args` with the socket selection of `target`. */
export function tmuxArgs(target: TmuxTarget, args: readonly string[]): string[] {
  if (target.socketPath) return ['-S', target.socketPath, ...args];
  if (target.socketName) return ['-L', target.socketName, ...args];
  return [...args];
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
