/** A word a POSIX shell reads as itself: no quoting needed. */
export const PLAIN_SHELL_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX shell single-quoting (plain words stay as they are). */
export function shellQuote(word: string): string {
  return PLAIN_SHELL_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
