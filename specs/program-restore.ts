/*
 * Which programs a restore runs again, and how. A pane's program is what ran in its foreground
 * when the checkpoint was taken; by default only programs that are safe to start twice come
 * back (editors, pagers, viewers, monitors, coding agents), and only with arguments that cannot
 * make them run a command (a file to edit, a flag that changes a view); more by option, anything
 * only with `*`. The program is started by its name, looked up on the pane's PATH, never by
 * the path a checkpoint names. A program not allowed comes back as its pane's shell, and the
 * summary names it.
 */

/** Programs restored by default (tmux-resurrect's list in spirit, plus coding agents). */
export const DEFAULT_RESTORE_PROGRAMS: readonly string[] = [
  'vi',
  'vim',
  'view',
  'nvim',
  'emacs',
  'nano',
  'man',
  'less',
  'more',
  'tail',
  'top',
  'htop',
  'btop',
  'claude',
  'codex',
];

/** The coding agents run under an interpreter (`node /usr/lib/node_modules/.bin/claude`). */
const AGENTS = new Set(['claude', 'codex']);
const INTERPRETERS = new Set(['node', 'nodejs', 'bun', 'deno', 'sh', 'bash', 'dash']);

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The program's name and its arguments (an agent's script under an interpreter counts). */
export function programOf(argv: readonly string[]): { name: string; args: string[] } {
  const first = baseName(argv[0] ?? '');
  const script = baseName(argv[1] ?? '').replace(/\.(js|mjs|cjs)$/, '');
  if (INTERPRETERS.has(first) && AGENTS.has(script)) return { name: script, args: argv.slice(2) };
  return { name: first, args: argv.slice(1) };
}

/** The restore policy: program names allowed beyond the defaults, or every program (`*`). */
export interface RestorePolicy {
  readonly programs?: readonly string[] | undefined;
}

/** What a pane's saved program becomes on restore. */
export type ProgramRestore =
  | { readonly run: true; readonly argv: readonly string[] }
  | { readonly run: false; readonly why: string };

/** Facts about the pane's directory a strategy looks at. */
export interface PaneFacts {
  /** A `Session.vim` (vim's `:mksession`) of this user, writable by no one else, is there. */
  readonly hasSessionVim: boolean;
}

/** Options each default program keeps; any other option (`-c`, `+cmd`, `--eval`) is refused. */
const SAFE_OPTIONS: Readonly<Record<string, RegExp>> = {
  vim: /^-[RObpdnMmZyoO]$|^-[oOp]\d+$/,
  emacs: /^(-nw|--no-window-system|-q|-Q)$/,
  nano: /^-[vlw]+$/,
  less: /^-[a-jl-oq-zA-OQ-Z~]+$|^--$/,
  man: /^-[akf]$/,
  tail: /^(-[fFnqv]+|-n\d+|--follow(=(name|descriptor))?|--retry|-s\d+(\.\d+)?|-\d+)$/,
  top: /^-[a-zA-Z]+$|^-?\d+$/,
};
const OPTIONS_OF: Readonly<Record<string, string>> = {
  vi: 'vim',
  vim: 'vim',
  view: 'vim',
  nvim: 'vim',
  emacs: 'emacs',
  nano: 'nano',
  less: 'less',
  more: 'less',
  man: 'man',
  tail: 'tail',
  top: 'top',
  htop: 'top',
  btop: 'top',
};

const follows = (args: readonly string[]) =>
  args.some((arg) => /^(-[a-zA-Z]*[fF][a-zA-Z]*|--follow(=.*)?)$/.test(arg));

/** `+cmd` and options a program of the default table does not keep, or null. */
function unsafeArgument(name: string, args: readonly string[]): string | null {
  const rule = SAFE_OPTIONS[OPTIONS_OF[name] ?? ''];
  if (!rule) return null;
  // A `tail -n 20` value, a file name: anything that is not an option is a plain argument.
  return args.find((arg) => /^[-+]/.test(arg) && !/^-?\d+$/.test(arg) && !rule.test(arg)) ?? null;
}

/**
 * What to run again for a pane whose foreground was `argv`. vim and nvim with a Session.vim in
 * the pane's directory reload it (`-S`); claude continues its conversation (`--continue`) and
 * codex resumes its last one (`resume --last`) rather than starting anew (their other
 * arguments, a first prompt among them, are not given again); `tail` only when it followed a
 * file. Everything else runs by its name with its arguments exactly as saved, if the table
 * keeps them.
 */
export function restoreProgram(
  argv: readonly string[],
  policy: RestorePolicy,
  facts: PaneFacts,
): ProgramRestore {
  // The program is typed into a shell: a control character (a newline, ^C, ^U) would be read
  // as a key, ending the quoted line and running whatever follows. Never typed, whatever allows.
  if (argv.some((arg) => /[\p{Cc}]/u.test(arg)))
    return { run: false, why: 'its arguments hold control characters' };
  const { name, args } = programOf(argv);
  const extra = policy.programs ?? [];
  const everything = extra.includes('*');
  const byDefault = DEFAULT_RESTORE_PROGRAMS.includes(name);
  if (!everything && !byDefault && !extra.includes(name))
    return { run: false, why: `${name} is not in the restore list` };
  if (!/^[A-Za-z0-9_.+-]+$/.test(name))
    return { run: false, why: 'its name is not a command name' };
  // vim's own session, saved by the user beside the pane, replaces whatever it was started with.
  if ((name === 'vim' || name === 'nvim') && facts.hasSessionVim)
    return { run: true, argv: [name, '-S'] };
  // Named by the user (or `*`): run as saved. A default program keeps only its safe arguments.
  const unsafe =
    byDefault && !extra.includes(name) && !everything ? unsafeArgument(name, args) : null;
  if (unsafe !== null) return { run: false, why: `${name} ${unsafe} could run a command` };
  switch (name) {
    case 'vim':
    case 'nvim':
      return { run: true, argv: [name, ...args] };
    case 'claude':
      return { run: true, argv: [name, '--continue'] };
    case 'codex':
      return { run: true, argv: [name, 'resume', '--last'] };
    case 'tail':
      return follows(args)
        ? { run: true, argv: [name, ...args] }
        : { run: false, why: 'tail ran without -f: it had ended its work' };
    default:
      return { run: true, argv: [name, ...args] };
  }
}

const SHELLS = new Set([
  'sh',
  'bash',
  'zsh',
  'fish',
  'dash',
  'ksh',
  'mksh',
  'tcsh',
  'csh',
  'nu',
  'elvish',
  'xonsh',
  'ash',
]);
/** Shells that read POSIX single quotes as written (fish, csh, nu ... do not). */
const POSIX_QUOTING = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash']);

/** Whether `argv` runs a shell (`-bash`, a login shell, counts). */
export function isShellProgram(argv: readonly string[]): boolean {
  return SHELLS.has(baseName(argv[0] ?? '').replace(/^-/, ''));
}

/**
 * Whether `argv` is a shell at its prompt: a shell with options only (`bash -l`), never one
 * running a script or `-c` (`sh -c 'npm run dev'` is that program, not a shell).
 */
export function isInteractiveShell(argv: readonly string[]): boolean {
  return (
    isShellProgram(argv) &&
    argv.slice(1).every((arg) => /^-/.test(arg) && !/^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg))
  );
}

/**
 * Whether a program may be typed into a pane whose command is `argv`: an interactive shell
 * that reads POSIX quoting (bash, zsh, sh, dash, ksh), not one running a `-c` script.
 */
export function takesTypedPrograms(argv: readonly string[]): boolean {
  return (
    POSIX_QUOTING.has(baseName(argv[0] ?? '').replace(/^-/, '')) &&
    !argv.slice(1).some((arg) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg))
  );
}

/** Text for a summary line: control characters shown escaped, never sent to the terminal. */
export const printable = (text: string): string =>
  text.replace(/[\p{Cc}]/gu, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
