/*
 * Which programs a restore runs again, and how. A pane's program is what ran in its foreground
 * when the checkpoint was taken; by default only programs that are safe to start twice come
 * back (editors, pagers, viewers, monitors, coding agents), more by option, all only with `*`.
 * A program not allowed comes back as its pane's shell, and the summary names it.
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
  'watch',
  'claude',
  'codex',
];

/** Interpreters a program may run under (`node /usr/lib/node_modules/.bin/claude`, a script). */
const INTERPRETERS = new Set([
  'node',
  'nodejs',
  'bun',
  'deno',
  'python',
  'python3',
  'sh',
  'bash',
  'dash',
]);

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The program's name and its argv from that name on (an interpreter's script name counts). */
export function programOf(argv: readonly string[]): { name: string; argv: string[] } {
  const first = baseName(argv[0] ?? '');
  if (INTERPRETERS.has(first.replace(/[0-9.]+$/, '')) && argv[1] && !argv[1].startsWith('-')) {
    const script = baseName(argv[1]).replace(/\.(js|mjs|cjs|py)$/, '');
    if (DEFAULT_RESTORE_PROGRAMS.includes(script))
      return { name: script, argv: [...argv.slice(1)] };
  }
  return { name: first, argv: [...argv] };
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
  /** A `Session.vim` (vim's `:mksession`) is in the pane's directory. */
  readonly hasSessionVim: boolean;
}

const follows = (argv: readonly string[]) =>
  argv.some((arg) => /^(-[a-zA-Z]*[fF][a-zA-Z]*|--follow(=.*)?)$/.test(arg));

/**
 * What to run again for a pane whose foreground was `argv`. vim and nvim with a Session.vim in
 * the pane's directory reload it (`-S`); claude continues its conversation (`--continue`) and
 * codex resumes its last one (`resume --last`) rather than starting anew (their other
 * arguments, a first prompt among them, are not given again); `tail` only when it followed a
 * file. Everything else runs with its argv exactly as saved.
 */
export function restoreProgram(
  argv: readonly string[],
  policy: RestorePolicy,
  facts: PaneFacts,
): ProgramRestore {
  const { name, argv: own } = programOf(argv);
  // The program is typed into a shell: a control character (a newline, ^C, ^U) would be read
  // as a key, ending the quoted line and running whatever follows. Never typed, whatever allows.
  if (argv.some((arg) => /[\p{Cc}]/u.test(arg)))
    return { run: false, why: 'its arguments hold control characters' };
  const extra = policy.programs ?? [];
  const allowed =
    extra.includes('*') || DEFAULT_RESTORE_PROGRAMS.includes(name) || extra.includes(name);
  if (!allowed) return { run: false, why: `${name} is not in the restore list` };
  const program = own[0]!;
  switch (name) {
    case 'vim':
    case 'nvim':
      return { run: true, argv: facts.hasSessionVim ? [program, '-S'] : own };
    case 'claude':
      return { run: true, argv: [program, '--continue'] };
    case 'codex':
      return { run: true, argv: [program, 'resume', '--last'] };
    case 'tail':
      return follows(own)
        ? { run: true, argv: own }
        : { run: false, why: 'tail ran without -f: it had ended its work' };
    default:
      return { run: true, argv: own };
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
  'busybox',
]);

/** Whether `argv` runs a shell (`-bash`, a login shell, counts). */
export function isShellProgram(argv: readonly string[]): boolean {
  return SHELLS.has(baseName(argv[0] ?? '').replace(/^-/, ''));
}
