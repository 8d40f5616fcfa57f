import { GLOBAL_HELP, parseCommandArgs, UsageError, workspaceOptions } from './cli-args.js';
import type { CliIo } from './cli-io.js';

const SAFE_MODE_HELP = `Usage: helios-recover safe-mode <exit|status> [options]

Safe mode is entered after 3 crashes within 60 s: share workers, background checkpoints and
re-running of commands other than the shell are disabled until the operator leaves it.

${GLOBAL_HELP}`;

export async function runSafeModeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {}, 1);
  if (values.help) {
    io.out(`${SAFE_MODE_HELP}\n`);
    return 0;
  }
  const [op = 'status'] = positionals;
  if (op !== 'exit' && op !== 'status') throw new UsageError(`unknown safe-mode command "${op}"`);
  const { configure, leaveSafeMode, readSafeMode } = await import('../controllers/compose.js');
  const config = configure(workspaceOptions(values, io));
  const record = await readSafeMode(config);
  if (op === 'status') {
    io.out(
      values.json
        ? `${JSON.stringify(record)}\n`
        : record
          ? `Safe mode since ${record.enteredAt}: ${record.reason}.\n`
          : 'Safe mode is off.\n',
    );
    return 0;
  }
  const left = await leaveSafeMode(config, (reason) =>
    io.err(`helios-recover: warning: ${reason}\n`),
  );
  if (!left) {
    io.out('Safe mode is off: nothing to do.\n');
    return 0;
  }
  io.out('Safe mode exited: background checkpoints and all commands are back on.\n');
  return 0;
}
