import type { CliIo } from './cli-io.js';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { didYouMean } from './did-you-mean.js';

/** A mistake in how the CLI was called: one line on stderr, exit 1. */
export class UsageError extends Error {}

type OptionTable = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  'state-dir': { type: 'string' },
  workspace: { type: 'string', short: 'w' },
  backend: { type: 'string' },
  'tmux-socket': { type: 'string', short: 'L' },
  'tmux-socket-path': { type: 'string', short: 'S' },
  timeout: { type: 'string' },
  prune: { type: 'boolean' },
  'allow-env': { type: 'string', multiple: true },
  'restore-programs': { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionTable;

export const GLOBAL_HELP = `Global options:
  -w, --workspace ID        workspace id (default: default)
      --state-dir DIR       state dir (default: $XDG_STATE_HOME/helios-recover/<workspace>,
                            else ~/.local/state/helios-recover/<workspace>)
      --backend NAME        tmux | zellij | auto (default auto: what each checkpoint entry names)
  -L, --tmux-socket NAME    tmux socket name (tmux -L)
  -S, --tmux-socket-path P  tmux socket path (tmux -S)
      --timeout MS          timeout of every external command (default 10000, 100..600000)
      --prune               cleanup may terminate live sessions tagged by this workspace that
                            are not in the checkpoint (default: flag them for review)
      --allow-env NAMES     secret variables that checkpoints and imports keep after all:
                            names or globs (AWS_*), comma-separated or repeated; default none,
                            else $HELIOS_ALLOW_ENV
      --restore-programs L  programs a restore starts again beyond the default table (editors,
                            pagers, man, tail -f, top, htop, claude, codex), comma-
                            separated or repeated; '*' restores every program; else
                            $HELIOS_RESTORE_PROGRAMS
      --json                machine-readable output
  -h, --help                show help

Environment: HELIOS_ZELLIJ_BIN names the zellij binary (default: zellij on PATH; supported
zellij 0.44.0 to 0.45.x).`;

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

/** Parses `args` strictly against the global options plus `extra`; unknown options are errors. */
export function parseCommandArgs(
  args: readonly string[],
  extra: OptionTable,
  positionals = 0,
): { values: ParsedValues; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { ...GLOBAL_OPTIONS, ...extra },
      strict: true,
      allowPositionals: positionals > 0,
    });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
    }
    return { values: parsed.values as ParsedValues, positionals: parsed.positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      tidyParseError(error as Error & { code?: string }, { ...GLOBAL_OPTIONS, ...extra }),
    );
  }
}

/** `-w/--workspace` for an option of `table` named by its short or long form, else `name`. */
function optionLabel(name: string, table: OptionTable): string {
  for (const [long, spec] of Object.entries(table)) {
    const short = 'short' in spec && spec.short ? spec.short : undefined;
    if (name === `--${long}` || (short !== undefined && name === `-${short}`))
      return short === undefined ? `--${long}` : `-${short}/--${long}`;
  }
  return name;
}

/**
 * node:util's parseArgs error as one tidy line, for every option of every command: a string
 * option without its value (`-w` last, or followed by another option) "needs a value", a
 * boolean given one "takes no value"; unknown options get a "did you mean". The command's
 * help is named by the caller (bin/main.ts).
 */
function tidyParseError(error: Error & { code?: string }, table: OptionTable): string {
  const message = error.message.split('\n')[0]!.replace(/\. To specify .*$/, '');
  // The option the message is about: its first quoted `-x` or `--long` word.
  const named = /'(--?[^\s',]+)/.exec(message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && named !== undefined) {
    const label = optionLabel(named, table);
    if (/does not take an argument/.test(message)) return `option ${label} takes no value`;
    return `option ${label} needs a value`;
  }
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && named !== undefined) {
    const known = Object.entries(table).flatMap(([long, spec]) => [
      `--${long}`,
      ...('short' in spec && spec.short ? [`-${spec.short}`] : []),
    ]);
    return `${message}${didYouMean(named, known)}`;
  }
  const positional = /^Unexpected argument '([^']*)'/.exec(message)?.[1];
  if (positional !== undefined) return `unexpected argument "${positional}"`;
  return message;
}

/** Reads a file named on the command line; unreadable is a one-line usage error. */
export async function readInputFile(file: string, what = ''): Promise<string> {
  const { readUserFile } = await import('../controllers/compose.js');
  const read = await readUserFile(file);
  if ('reason' in read) throw new UsageError(`cannot read ${what}${file}: ${read.reason}`);
  return read.text;
}

/** The workspace options as the composition expects them, validated. */
export function workspaceOptions(values: ParsedValues, io?: CliIo) {
  const backend = values.backend as string | undefined;
  if (backend !== undefined && !['tmux', 'zellij', 'auto'].includes(backend)) {
    throw new UsageError(`invalid --backend "${backend}": expected tmux, zellij or auto`);
  }
  const timeout = values.timeout as string | undefined;
  if (timeout !== undefined && !/^[1-9]\d*$/.test(timeout)) {
    throw new UsageError(`invalid --timeout "${timeout}": expected milliseconds`);
  }
  return {
    workspace: (values.workspace as string | undefined) ?? process.env.HELIOS_WORKSPACE_ID,
    stateDir: values['state-dir'] as string | undefined,
    backend: backend as 'tmux' | 'zellij' | 'auto' | undefined,
    tmuxSocket: values['tmux-socket'] as string | undefined,
    tmuxSocketPath: values['tmux-socket-path'] as string | undefined,
    timeoutMs: timeout === undefined ? undefined : Number(timeout),
    prune: values.prune === true,
    world: io?.world,
    // Secret variables checkpoints keep after all: --allow-env (repeatable), else the env var.
    allowEnv: (
      (values['allow-env'] as string[] | undefined) ?? [process.env.HELIOS_ALLOW_ENV ?? '']
    )
      .flatMap((list) => list.split(','))
      .map((name) => name.trim())
      .filter(Boolean),
    restorePrograms: (
      (values['restore-programs'] as string[] | undefined) ?? [
        process.env.HELIOS_RESTORE_PROGRAMS ?? '',
      ]
    )
      .flatMap((list) => list.split(','))
      .map((name) => name.trim())
      .filter(Boolean),
    // The zellij binary: HELIOS_ZELLIJ_BIN, else `zellij` on PATH.
    zellijCommand: process.env.HELIOS_ZELLIJ_BIN || undefined,
  };
}
