import {
  GLOBAL_HELP,
  parseCommandArgs,
  readInputFile,
  UsageError,
  workspaceOptions,
} from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { count } from './cli-io.js';
import { workspaceFlags } from './paste-flags.js';

const IMPORT_HELP = `Usage: helios-recover import <tmux-resurrect|helios-v1> FILE [--out FILE] [--force] [options]

Converts another tool's save file into a desired-state document and writes it as the
workspace's next checkpoint generation (or to --out FILE). It refuses to replace a checkpoint
whose sessions it would drop, naming them, unless --force.

  import tmux-resurrect FILE   a tmux-resurrect save file (~/.local/share/tmux/resurrect/last)
  import helios-v1 FILE        a heliosApp v1 Checkpoint (JSON); FILE.backup is read when
                               FILE's checksum fails; sessions run on --backend (default zellij)

      --out FILE   write the document to FILE instead of the state dir
      --force      replace the checkpoint even though sessions of it are not in FILE; import a
                   heliosApp file whose own checksum does not match (with a warning)

${GLOBAL_HELP}

Exit status: 0 written, 3 written without the sessions named in the warnings, 1 error (unreadable
file, malformed line, invalid document, tampered or duplicate sessions).`;

export async function runImportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { out: { type: 'string' }, force: { type: 'boolean' } },
    2,
  );
  if (values.help) {
    io.out(`${IMPORT_HELP}\n`);
    return 0;
  }
  const [format, file] = positionals;
  if (format !== 'tmux-resurrect' && format !== 'helios-v1')
    throw new UsageError(
      format
        ? `unknown import format "${format}": expected tmux-resurrect or helios-v1`
        : 'import needs a format and a FILE',
    );
  if (!file) throw new UsageError(`import ${format} needs a FILE`);
  const text = await readInputFile(file);
  // heliosApp keeps checkpoint.json.backup beside its checkpoint and reads it when the
  // checksum fails: so does the import.
  const backupFile = `${file}.backup`;
  const backup =
    format === 'helios-v1'
      ? await readInputFile(backupFile).then(
          (backupText) => ({ text: backupText, source: backupFile }),
          () => undefined,
        )
      : undefined;
  const { configure, runImport } = await import('../controllers/compose.js');
  const config = configure(workspaceOptions(values, io));
  const imported = await runImport(config, {
    format,
    text,
    source: file,
    out: typeof values.out === 'string' ? values.out : undefined,
    force: values.force === true,
    backup,
    multiplexer: config.backend === 'auto' ? undefined : config.backend,
  });
  const { cliRemedyText } = await import('../banner/choose-renderer.js');
  const remedyText = cliRemedyText(workspaceFlags(values));
  const remedy = imported.remedy ? ` ${remedyText(imported.remedy)}` : '';
  if (!imported.ok) {
    // A refusal (not a mistake in the command line): the reason and what to do, exit 1.
    if (!remedy) throw new UsageError(imported.reason);
    io.err(`helios-recover: ${imported.reason}.${remedy}\n`);
    return 1;
  }
  for (const warning of imported.warnings) io.err(`warning: ${warning}\n`);
  if (remedy) io.err(`hint:${remedy}\n`);
  io.out(
    values.json
      ? `${JSON.stringify({ ok: true, file: imported.file, sessions: imported.sessions, windows: imported.windows, panes: imported.panes, programs: imported.programs })}\n`
      : `Imported ${count(imported.sessions, 'session')} (${count(imported.windows, 'window')}, ${count(imported.panes, 'pane')}, ${count(imported.programs, 'program')})${imported.partial ? ' (some failed: see the warnings)' : ''} from ${file} into ${imported.file} (generation ${imported.generation}).\n`,
  );
  return imported.partial ? 3 : 0;
}
