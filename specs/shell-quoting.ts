/** A word a POSIX shell reads as itself: no quoting needed. */
export const PLAIN_SHELL_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX shell single-quoting (plain words stay as they are). */
export function shellQuote(word: string): string {
  return PLAIN_SHELL_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The user's shell by `$SHELL`, else `/bin/sh`: what a shell session runs when nothing says. */
export function userShell(env: Readonly<Record<string, string | undefined>>): string {
  return env.SHELL || '/bin/sh';
}

/**
 * The user's shell among `candidates` (a session's `SHELL`, ours ...): the first absolute path
 * that is not a launcher (none under `launchDir`, none of a `/launch/` dir), else /bin/sh.
 */
export function shellAmong(
  candidates: readonly (string | undefined)[],
  launchDir?: string,
): string {
  const shell = candidates.find(
    (path) =>
      path?.startsWith('/') &&
      (launchDir === undefined || !path.startsWith(`${launchDir}/`)) &&
      !path.includes('/launch/'),
  );
  return shell ?? '/bin/sh';
}
