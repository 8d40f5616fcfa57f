import { shellQuote } from '../controllers/compose.js';

/** The global options that say which workspace a command acts on (what a pasted command needs). */
const WORKSPACE_FLAGS = new Map([
  ['-w', '-w'],
  ['--workspace', '-w'],
  ['--state-dir', '--state-dir'],
  ['-L', '-L'],
  ['--tmux-socket', '-L'],
  ['-S', '-S'],
  ['--tmux-socket-path', '-S'],
  ['--backend', '--backend'],
]);

/** The workspace-selecting options of `argv` as they would be pasted (`-w ws --state-dir D`). */
export function workspaceFlags(argv: readonly string[]): string {
  const flags: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const short = WORKSPACE_FLAGS.get(name);
    if (!short) continue;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[(i += 1)];
    if (value !== undefined && !(short === '--backend' && value === 'auto'))
      flags.push(short, shellQuote(value));
  }
  return flags.join(' ');
}

/**
 * Every suggested command in `text` (`` `helios-recover orphans clean` ``) gets the options that
 * select this workspace, so pasting it acts on the same workspace, not the default one.
 */
export function withWorkspaceFlags(text: string, flags: string): string {
  if (!flags) return text;
  return text.replace(
    /`helios-recover ((?:[a-z-]+)(?: (?:approve|dismiss|clean|exit|status|open|close|list)\b)?)([^`]*)`/g,
    (_whole, command: string, rest: string) => `\`helios-recover ${command} ${flags}${rest}\``,
  );
}
