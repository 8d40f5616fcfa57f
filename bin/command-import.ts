import {
  GLOBAL_HELP,
  parseCommandArgs,
  readInputFile,
  UsageError,
  workspaceOptions,
} from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { count } from './plural.js';

export const IMPORT_HELP = `Usage: helios-recover import <tmux-resurrect|helios-v1> FILE [--out FILE] [--force] [options]

Converts another tool's save file into a desired-state document and writes it as the
workspace's next checkpoint generation (or to --out FILE). It refuses to replace a checkpoint
whose sessions it would drop, naming them, unless --force.

  import tmux-resurrect FILE   a tmux-resurrect save file (~/.local/share/tmux/resurrect/last)
  import helios-v1 FILE        a heliosApp v1 Checkpoint (JSON)

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
  const { configure } = await import('../controllers/workspace-config.js');
  const config = configure(workspaceOptions(values));
  const { nextGeneration, writeCheckpoint, writeFileAtomic } =
    await import('../specs/checkpoint-store.js');
  const { sealCheckpoint } = await import('../specs/checkpoint-codec.js');
  const { hostname } = await import('node:os');
  const common = {
    workspaceId: config.workspaceId,
    host: hostname(),
    generation: await nextGeneration(config.stateDir),
  };
  let draft;
  let warnings: readonly string[] = [];
  let partial = false;
  if (format === 'tmux-resurrect') {
    const { convertTmuxResurrect } = await import('../specs/import-tmux-resurrect.js');
    const parsed = convertTmuxResurrect(text, {
      ...common,
      createdAt: new Date().toISOString(),
      shell: process.env.SHELL || '/bin/sh',
    });
    if (!parsed.ok) throw new UsageError(`${file}: ${parsed.reason}`);
    draft = parsed.draft;
    warnings = parsed.warnings;
  } else {
    const { HeliosV1CheckpointSpec, heliosV1ChecksumProblem } =
      await import('../specs/import-helios-v1.js');
    const { describeZodError } = await import('../specs/checkpoint-codec.js');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = HeliosV1CheckpointSpec.safeParse(raw);
    if (!parsed.success)
      throw new UsageError(
        `${file}: not a heliosApp v1 checkpoint: ${describeZodError(parsed.error)}`,
      );
    const tampered = heliosV1ChecksumProblem(raw as { checksum?: unknown; sessions?: unknown });
    if (tampered && !values.force)
      throw new UsageError(`${file}: refused: ${tampered} (--force imports it anyway)`);
    const { importHeliosV1 } = await import('../controllers/import-helios-v1.js');
    const imported = await importHeliosV1(parsed.data, { ...common, timeoutMs: config.timeoutMs });
    if (!imported.ok) throw new UsageError(`${file}: ${imported.reason}`);
    draft = imported.draft;
    partial = imported.failed.length > 0;
    warnings = [
      ...(tampered ? [`${file}: imported with --force although ${tampered}`] : []),
      ...imported.notes,
    ];
  }
  let document;
  try {
    document = sealCheckpoint(draft);
  } catch (error) {
    throw new UsageError(
      `${file}: the converted document is invalid: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const target = typeof values.out === 'string' ? values.out : null;
  if (!target && !values.force) {
    const { loadNewestCheckpoint } = await import('../specs/checkpoint-store.js');
    const previous = await loadNewestCheckpoint(config.stateDir);
    const kept = new Set(document.sessions.map((session) => session.sessionId));
    const dropped = previous.ok
      ? previous.desired.sessions.filter((session) => !kept.has(session.sessionId))
      : [];
    if (dropped.length > 0)
      throw new UsageError(
        `${file}: importing would drop ${dropped.length} session(s) of the current checkpoint (${dropped
          .slice(0, 5)
          .map((session) => session.sessionName)
          .join(
            ', ',
          )}${dropped.length > 5 ? ', ...' : ''}): refused; use --force to replace it, or --out FILE`,
      );
  }
  for (const warning of warnings) io.err(`warning: ${warning}\n`);
  if (target) await writeFileAtomic(target, `${JSON.stringify(document, null, 2)}\n`);
  else await writeCheckpoint(config.stateDir, document);
  io.out(
    values.json
      ? `${JSON.stringify({ ok: true, file: target ?? `${config.stateDir}/checkpoint.json`, sessions: document.sessions.length })}\n`
      : `Imported ${count(document.sessions.length, 'session')}${partial ? ' (some failed: see the warnings)' : ''} from ${file} into ${target ?? `${config.stateDir}/checkpoint.json`} (generation ${document.generation}).\n`,
  );
  return partial ? 3 : 0;
}
