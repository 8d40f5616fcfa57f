import { GLOBAL_HELP, parseCommandArgs, workspaceOptions } from './cli-args.js';
import type { CliIo } from './cli-io.js';

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
  const status = await runStatus(configure(workspaceOptions(values)));
  if (values.json) {
    io.out(`${JSON.stringify(status)}\n`);
  } else {
    const { renderStatusText } = await (
      await import('../banner/choose-renderer.js')
    ).textRenderers();
    io.out(renderStatusText(status));
  }
  return 0;
}
