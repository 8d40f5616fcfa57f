import { GLOBAL_HELP, parseCommandArgs, workspaceOptions } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { workspaceFlags } from './paste-flags.js';

const STATUS_HELP = `Usage: helios-recover status [options]

Shows the workspace's recovery stage, lock holder, newest valid checkpoint and crash history.
Read-only.

${GLOBAL_HELP}

Exit status: 0, or 1 on error.`;

export async function runStatusCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {});
  if (values.help) {
    io.out(`${STATUS_HELP}\n`);
    return 0;
  }
  const { configure, runStatus } = await import('../controllers/compose.js');
  const status = await runStatus(configure(workspaceOptions(values, io)));
  const views = await import('../banner/choose-renderer.js');
  const texts = await views.textRenderers(workspaceFlags(values));
  io.out(
    values.json
      ? `${views.jsonWithSuggestions(status, texts.remedyText)}\n`
      : texts.renderStatusText(status),
  );
  return 0;
}
