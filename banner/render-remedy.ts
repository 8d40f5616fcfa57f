import type { Multiplexer } from '../specs/checkpoint-spec.js';
import type { Remedy } from '../specs/remedies.js';
import { shellQuote } from '../specs/shell-quoting.js';

/**
 * The options that select the workspace a CLI command acts on, as the CLI was called with them
 * (absent: not given, the default applies). Every command a view renders carries them, so that
 * pasting it acts on the same workspace, not the default one.
 */
export interface WorkspaceFlags {
  readonly workspace?: string | undefined;
  readonly stateDir?: string | undefined;
  readonly tmuxSocket?: string | undefined;
  readonly tmuxSocketPath?: string | undefined;
  /** `auto` (the default) is not carried. */
  readonly backend?: string | undefined;
}

export const NO_FLAGS: WorkspaceFlags = {};

/** How a remedy reads in a view: the CLI's text (renderRemedy), or a host app's own. */
export type RemedyText = (remedy: Remedy) => string;

/** The flags as command-line words, unquoted, in a fixed order. */
export function flagWords(flags: WorkspaceFlags): string[] {
  const words: string[] = [];
  const add = (option: string, value: string | undefined) => {
    if (value !== undefined) words.push(option, value);
  };
  add('-w', flags.workspace);
  add('--state-dir', flags.stateDir);
  add('-L', flags.tmuxSocket);
  add('-S', flags.tmuxSocketPath);
  if (flags.backend !== 'auto') add('--backend', flags.backend);
  return words;
}

/** Words as one POSIX shell command line: each quoted where the shell would read it otherwise. */
const shellLine = (words: readonly string[]) => words.map(shellQuote).join(' ');

/**
 * `helios-recover COMMAND... FLAGS... ARGS...` as text to paste: the workspace's flags come
 * right after the command (and its subcommand), before the command's own arguments.
 */
export function commandLine(
  command: readonly string[],
  flags: WorkspaceFlags = NO_FLAGS,
  args: readonly string[] = [],
): string {
  return shellLine(['helios-recover', ...command, ...flagWords(flags), ...args]);
}

/** A tmux command on the server this workspace uses (`-L` / `-S` as given to the CLI). */
function tmuxLine(flags: WorkspaceFlags, args: readonly string[]): string {
  const server = [
    ...(flags.tmuxSocket !== undefined ? ['-L', flags.tmuxSocket] : []),
    ...(flags.tmuxSocketPath !== undefined ? ['-S', flags.tmuxSocketPath] : []),
  ];
  return shellLine(['tmux', ...server, ...args]);
}

const listSessions = (backend: Multiplexer, flags: WorkspaceFlags) =>
  backend === 'tmux' ? tmuxLine(flags, ['list-sessions']) : shellLine(['zellij', 'list-sessions']);

/**
 * A remedy as the CLI says it: one sentence, each command in backticks, quoted for a POSIX
 * shell and carrying `flags`. Pure. docs/REMEDIES.md shows every code's text.
 */
export function renderRemedy(remedy: Remedy, flags: WorkspaceFlags = NO_FLAGS): string {
  const cli = (command: readonly string[], args: readonly string[] = []) =>
    `\`${commandLine(command, flags, args)}\``;
  const recoverAgain = `then run ${cli(['recover'])} again`;
  switch (remedy.code) {
    case 'rerun_recover':
      return `Run ${cli(['recover'])} again once the cause is fixed.`;
    case 'replan':
      return `Run ${cli(['plan'])} to see the current state, then ${cli(['recover'])} again.`;
    case 'create_directory':
      return `Recreate ${remedy.path} and run ${cli(['recover'])} again, or take a new checkpoint without ${remedy.sessionName}.`;
    case 'fix_shell_command':
      return `Fix the shellCommand of ${remedy.sessionName} in the checkpoint (or install the program), ${recoverAgain}.`;
    case 'debug_shell_command':
      return `Run \`${shellLine(remedy.command)}\` in ${remedy.workingDirectory} to see why it exits, fix the checkpoint's shellCommand, ${recoverAgain}.`;
    case 'check_startup_directory':
      return `Check what changes directory when \`${shellLine(remedy.command)}\` starts (rc files), ${recoverAgain}.`;
    case 'fix_state_dir':
      return `Free space or make the state dir writable, ${recoverAgain}.`;
    case 'check_multiplexer':
      return `Check that ${remedy.backend} responds (\`${listSessions(remedy.backend, flags)}\`), then run ${cli(['plan'])} again.`;
    case 'recreate_entry':
      return `Recreate ${remedy.label} by hand, then run ${cli(['checkpoint'])} to record it again.`;
    case 'recreate_worktree': {
      const add = ['git', '-C', remedy.repository, 'worktree', 'add', remedy.worktreePath];
      return `Recreate the worktree with \`${shellLine([...add, remedy.branch])}\`, ${recoverAgain}.`;
    }
    case 'check_worktrees':
      return `Check \`${shellLine(['git', '-C', remedy.repository, 'worktree', 'list'])}\`, then run ${cli(['plan'])} again.`;
    case 'free_session_name': {
      const rename = ['rename-session', '-t', `=${remedy.sessionName}:`, 'NEW'];
      const how = remedy.backend === 'tmux' ? ` (\`${tmuxLine(flags, rename)}\`)` : '';
      return `Close or rename the live session ${remedy.sessionName} if it is not needed${how}, ${recoverAgain}.`;
    }
    case 'restart_session': {
      const kill =
        remedy.backend === 'zellij'
          ? `zellij kill-session ${remedy.sessionName}`
          : tmuxLine(flags, ['kill-session', '-t', `=${remedy.sessionName}:`]);
      return `When what runs in session ${remedy.sessionName} can stop, close it (\`${kill}\`) ${recoverAgain}: it is recreated whole.`;
    }
    case 'settle_resurrected':
      return `Press ENTER in the waiting panes of zellij session ${remedy.sessionName}, or close it (\`zellij kill-session ${remedy.sessionName}\`) if nothing in it is needed, ${recoverAgain}.`;
    case 'review_orphans':
      return `Review ${remedy.reviewId ?? 'them'} with ${cli(['orphans'])}.`;
    case 'clean_orphans':
      return `Fix what could not be observed, then run ${cli(['orphans', 'clean'])}.`;
    case 'dismiss_review':
      return `Dismiss it with ${cli(['orphans', 'dismiss'], [remedy.reviewId])}.`;
    case 'approve_review': {
      const discard = [
        ...(remedy.discardIgnored ? ['--discard-ignored'] : []),
        ...(remedy.discardHiddenEdits ? ['--discard-hidden-edits'] : []),
      ];
      const approve = cli(['orphans', 'approve'], [remedy.reviewId, ...discard]);
      return discard.length > 0
        ? `Move those files away, or let them go with ${approve}.`
        : `Approve it with ${approve}.`;
    }
    case 'exit_safe_mode':
      return `Fix the cause, then run ${cli(['safe-mode', 'exit'])}.`;
    case 'start_daemon':
      return `Start it with ${cli(['run'])}.`;
    case 'list_sessions':
      return `Check with ${cli(['session', 'list'])}.`;
    case 'force_checkpoint':
      return `If the sessions are gone for good, write it anyway with ${cli(['checkpoint'], ['--force'])}.`;
    case 'force_service_unit':
      return `Replace it with ${cli(['service', 'install'], ['--force'])}.`;
    case 'allow_empty_checkpoint':
      return `Start the sessions first, or write an empty checkpoint with ${cli(['checkpoint'], ['--allow-empty'])}.`;
    case 'force_import': {
      const out = remedy.out === undefined ? [] : ['--out', remedy.out];
      const again = (args: readonly string[]) =>
        cli(['import'], [remedy.format, remedy.source, ...args]);
      if (remedy.elsewhere !== true) return `Import it anyway with ${again([...out, '--force'])}.`;
      return `Import it anyway with ${again(['--force'])}, or write it elsewhere with ${again(['--out', 'FILE'])}.`;
    }
    case 'prune_session':
      return `End it with ${cli(['orphans', 'clean'], ['--prune'])}, or approve it with ${cli(['orphans', 'approve'], [remedy.reviewId])}.`;
    case 'allow_env':
      return `Keep one after all with --allow-env NAME (\`--allow-env ${remedy.names.join(',')}\` keeps all of them).`;
    default:
      // A code of a newer version (read from a file or a reply): named, never dropped silently.
      return `See remedy ${String((remedy as { code?: unknown }).code)}.`;
  }
}

/** The CLI's remedy text for a workspace called with `flags`. */
export const cliRemedyText =
  (flags: WorkspaceFlags = NO_FLAGS): RemedyText =>
  (remedy) =>
    renderRemedy(remedy, flags);
