import { GLOBAL_HELP, parseCommandArgs, UsageError, workspaceOptions } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { workspaceFlags } from './paste-flags.js';

const RUN_HELP = `Usage: helios-recover run [options]

The runtime daemon. Recovers first (a stale lock means the previous run crashed: recorded, and
3 crashes within 60 s enter safe mode), then keeps the workspace at its desired state: one
reconcile pass at a time every --interval and when checkpoint.json changes, backoff per failing
resource, a checkpoint every 60 s or after 50 changes. Sessions are opened and closed through
its control socket (\`helios-recover session\`). SIGTERM / SIGINT: final checkpoint, clean exit.

Options:
      --interval MS              reconcile period (default 5000, 50..3600000)
      --checkpoint-interval MS   checkpoint period (default 60000, 50..3600000; a slow write doubles it,
                                 up to 5 min)

${GLOBAL_HELP}

Exit status: 0 after a clean shutdown, 1 when it cannot start (already running) or recovery
failed, 3 when it stopped but its final checkpoint could not be written (reason on stderr).`;

/** Periods are bounded: a huge value must not overflow a timer into a 1 ms busy loop. */
const MIN_PERIOD_MS = 50;
const MAX_PERIOD_MS = 3_600_000;

const period = (value: unknown, name: string): number | undefined => {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!(ms >= MIN_PERIOD_MS && ms <= MAX_PERIOD_MS))
    throw new UsageError(
      `invalid --${name} "${String(value)}": a whole number of milliseconds from ${MIN_PERIOD_MS} to ${MAX_PERIOD_MS}`,
    );
  return ms;
};

export async function runRunCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    interval: { type: 'string' },
    'checkpoint-interval': { type: 'string' },
  });
  if (values.help) {
    io.out(`${RUN_HELP}\n`);
    return 0;
  }
  const intervalMs = period(values.interval, 'interval');
  const checkpointIntervalMs = period(values['checkpoint-interval'], 'checkpoint-interval');
  const { configure, runDaemon } = await import('../controllers/compose.js');
  const config = configure(workspaceOptions(values, io));
  const { chooseRenderer, showBanner } = await import('../banner/choose-renderer.js');
  const renderer = chooseRenderer({
    mode: values.json ? 'json' : 'log',
    flags: workspaceFlags(values),
  });
  const daemon = await runDaemon(config, {
    command: `helios-recover run (pid ${process.pid})`,
    onWarning: (reason) => io.err(`helios-recover: warning: ${reason}\n`),
    onEvents: (events$) => showBanner(events$, renderer, io.out),
    intervalMs,
    checkpointIntervalMs,
    onRecovered: (report) => {
      if (report.stage === 'LIVE' && !values.json)
        io.out(
          `LIVE: reconciling workspace ${config.workspaceId} every ${(intervalMs ?? 5000) / 1000} s (pid ${process.pid}).\n`,
        );
    },
  });
  const shutdown = () => daemon.stop();
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  const result = await daemon.done;
  process.off('SIGTERM', shutdown);
  process.off('SIGINT', shutdown);
  if (result.code !== 0) {
    io.err(`helios-recover: ${result.reason}\n`);
    return result.code;
  }
  if (result.finalCheckpointProblem) {
    io.err(
      `helios-recover: stopped, lock released, but the final checkpoint was not written: ${result.finalCheckpointProblem}\n`,
    );
    return 3;
  }
  if (!values.json) io.out('Stopped cleanly: final checkpoint written, lock released.\n');
  return 0;
}
