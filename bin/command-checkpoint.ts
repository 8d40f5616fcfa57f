import { GLOBAL_HELP, parseCommandArgs, UsageError, workspaceOptions } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { count } from './cli-io.js';
import { workspaceFlags } from './paste-flags.js';
import { retentionText } from './command-checkpoints.js';

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
      --keep NAME      also keep this checkpoint as the named snapshot NAME (letters, digits,
                       . _ -; at most 64): never pruned, never replaced; \`checkpoints\` lists
                       it, \`recover --generation NAME\` restores it
      --keep-count N   retention: keep the last N generations before the current one
                       (default 5; 0 to 1000)
      --keep-age DUR   retention: also keep every generation younger than DUR (90m, 24h, 7d;
                       0: none; default 24h), at most 50 of them (a larger --keep-count wins).
                       Either is saved as the workspace's policy (retention.json) before this
                       checkpoint is written: every later write (autosave, import) prunes by it
      --drop NAME      forget session NAME although it went with a crashed server (repeatable)
      --autosave       for timers and hooks: print nothing, write nothing when nothing changed,
                       skip while a recovery or the daemon holds the workspace or when nothing
                       was observed (exit 0); only a real failure prints a line (exit 1)

A session that is not running because its server went away (a crash, a kill-server) is kept,
so recover restores it; one closed while its server runs is dropped (older generations keep it).

${GLOBAL_HELP}

Exit status: 0 written, 3 written without the live sessions named (they could not be recorded),
1 error.`;

export async function runCheckpointCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    repo: { type: 'string', multiple: true },
    'only-tagged': { type: 'boolean' },
    force: { type: 'boolean' },
    'allow-empty': { type: 'boolean' },
    drop: { type: 'string', multiple: true },
    autosave: { type: 'boolean' },
    keep: { type: 'string' },
    'keep-count': { type: 'string' },
    'keep-age': { type: 'string' },
  });
  if (values.help) {
    io.out(`${CHECKPOINT_HELP}\n`);
    return 0;
  }
  const compose = await import('../controllers/compose.js');
  const { configure, runAutosave, runCheckpoint } = compose;
  const { resolve } = await import('node:path');
  const config = configure(workspaceOptions(values, io));
  const keep = values.keep as string | undefined;
  const retention = await compose.retentionChangeOf(
    values['keep-count'] as string | undefined,
    values['keep-age'] as string | undefined,
  );
  if (!retention.ok) throw new UsageError(`invalid --keep-${retention.field} ${retention.reason}`);
  if (keep !== undefined && values.autosave)
    throw new UsageError('--keep names a checkpoint taken by hand: not with --autosave');
  if (keep !== undefined) {
    const problem = await compose.snapshotProblem(config, keep);
    if (problem) throw new UsageError(problem);
  }
  const policy =
    Object.keys(retention.change).length > 0
      ? await compose.setRetention(config, retention.change)
      : null;
  const repositories = ((values.repo as string[] | undefined) ?? []).map((repo) => resolve(repo));
  if (values.autosave) {
    const saved = await runAutosave(config, { repositories });
    if (values.json) io.out(`${JSON.stringify(saved)}\n`);
    else if (saved.status === 'failed') io.err(`helios-recover: autosave: ${saved.reason}\n`);
    return saved.status === 'failed' ? 1 : 0;
  }
  const result = await runCheckpoint(config, {
    repositories,
    force: values.force === true,
    onlyTagged: values['only-tagged'] === true,
    allowEmpty: values['allow-empty'] === true,
    drop: (values.drop as string[] | undefined) ?? [],
  });
  const snapshot =
    result.ok && keep !== undefined
      ? await compose.keepSnapshot(config, keep, result.generation)
      : null;
  const { cliRemedyText, jsonWithSuggestions } = await import('../banner/choose-renderer.js');
  const remedyText = cliRemedyText(workspaceFlags(values));
  if (values.json) {
    const { withheldText: _text, ...data } = result.ok ? result : { ...result, withheldText: null };
    io.out(`${jsonWithSuggestions({ ...data, snapshot, retention: policy }, remedyText)}\n`);
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
  if (snapshot) io.out(`Kept as snapshot ${keep} (${snapshot}): never pruned.\n`);
  if (policy) io.out(`${retentionText(policy)}\n`);
  if (result.withheldText)
    io.out(`${result.withheldText}.${result.remedy ? ` ${remedyText(result.remedy)}` : ''}\n`);
  for (const line of result.unrecorded) io.err(`helios-recover: not recorded: ${line}\n`);
  return result.unrecorded.length > 0 ? 3 : 0;
}
