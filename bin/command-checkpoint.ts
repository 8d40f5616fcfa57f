import { GLOBAL_HELP, parseCommandArgs, workspaceOptions } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { count } from './cli-io.js';
import { workspaceFlags } from './paste-flags.js';

const CHECKPOINT_HELP = `Usage: helios-recover checkpoint [options]

Observes the live sessions of the workspace (tmux / zellij) and writes them as the next
checkpoint generation: cwd, environment, shell command, scrollback, lanes.
Sessions tagged for another workspace are never captured. Secrets stay out of the state dir:
variables named like credentials (*TOKEN*, *SECRET*, *PASSWORD*, *_KEY, AWS_ACCESS_KEY_ID ...)
are not saved unless --allow-env names them, and tokens and private keys in scrollback are
saved as [redacted]; the summary says how many were withheld.

Options:
      --repo DIR       also record the lanes (.helios-worktrees/*) of this repository (repeatable)
      --only-tagged    capture only sessions already tagged for this workspace
      --force          write even if nothing was observed over a checkpoint that has sessions
      --allow-empty    write a checkpoint with no session when no session was found
                       (default: exit 1 saying which multiplexer was asked)

${GLOBAL_HELP}

Exit status: 0 written, 3 written without the live sessions named (they could not be recorded),
1 error.`;

export async function runCheckpointCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    repo: { type: 'string', multiple: true },
    'only-tagged': { type: 'boolean' },
    force: { type: 'boolean' },
    'allow-empty': { type: 'boolean' },
  });
  if (values.help) {
    io.out(`${CHECKPOINT_HELP}\n`);
    return 0;
  }
  const { configure, runCheckpoint } = await import('../controllers/compose.js');
  const { resolve } = await import('node:path');
  const config = configure(workspaceOptions(values, io));
  const result = await runCheckpoint(config, {
    repositories: ((values.repo as string[] | undefined) ?? []).map((repo) => resolve(repo)),
    force: values.force === true,
    onlyTagged: values['only-tagged'] === true,
    allowEmpty: values['allow-empty'] === true,
  });
  const { cliRemedyText, jsonWithSuggestions } = await import('../banner/choose-renderer.js');
  const remedyText = cliRemedyText(workspaceFlags(values));
  if (values.json) {
    const { withheldText: _text, ...data } = result.ok ? result : { ...result, withheldText: null };
    io.out(`${jsonWithSuggestions(data, remedyText)}\n`);
    return result.ok ? (result.unrecorded.length > 0 ? 3 : 0) : 1;
  }
  if (!result.ok) {
    io.err(
      `helios-recover: ${result.reason}${result.remedy ? `. ${remedyText(result.remedy)}` : ''}\n`,
    );
    return 1;
  }
  for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
  io.out(
    `Checkpoint generation ${result.generation} written to ${result.file}: ${count(result.sessions.length, 'session')}${result.sessions.length > 0 ? ` (${result.sessions.join(', ')})` : ''}, ${count(result.lanes.length, 'lane')}.\n`,
  );
  if (result.withheldText)
    io.out(`${result.withheldText}.${result.remedy ? ` ${remedyText(result.remedy)}` : ''}\n`);
  for (const line of result.unrecorded) io.err(`helios-recover: not recorded: ${line}\n`);
  return result.unrecorded.length > 0 ? 3 : 0;
}
