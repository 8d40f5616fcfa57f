import {
  GLOBAL_HELP,
  parseCommandArgs,
  readInputFile,
  UsageError,
  workspaceOptions,
} from './cli-args.js';
import type { BannerRenderer } from '../banner/renderer.js';
import type { CliIo } from './cli-io.js';
import { testPause } from './test-pause.js';

export const RECOVER_HELP = `Usage: helios-recover recover [options]

Brings the workspace back to its newest valid checkpoint: DETECTING -> INVENTORYING ->
RESTORING -> RECONCILING -> LIVE. Survivors are reattached, missing sessions respawned in their
cwd with their env, shell and scrollback; what cannot be restored is reported with a suggestion.
An interrupted recovery resumes where it stopped.

Options:
      --plan FILE   apply exactly this saved plan (from \`plan --out\`); refused if stale
      --no-wait     on a terminal, do not wait for a key to dismiss the summary
                    (never waits when stdin is not a terminal)

${GLOBAL_HELP}

Exit status: 0 recovered, 3 recovered with issues (see the summary), 1 error.`;

export async function runRecoverCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    plan: { type: 'string' },
    wait: { type: 'boolean' },
    'no-wait': { type: 'boolean' },
  });
  if (values['no-wait']) values.wait = false;
  if (values.help) {
    io.out(`${RECOVER_HELP}\n`);
    return 0;
  }
  const { configure } = await import('../controllers/workspace-config.js');
  const config = configure(workspaceOptions(values));
  const { pauseAt, onPause } = testPause(process.env.HELIOS_TEST_PAUSE_AT, io);
  const tty = !values.json && io.interactive === true;
  const renderer = values.json
    ? (await import('../banner/render-json.js')).jsonRenderer
    : tty
      ? (await import('../banner/render-tty.js')).createTtyRenderer()
      : (await import('../banner/render-plain.js')).plainRenderer;
  // The first stage is on screen before the engine is even loaded (cold start, PRODUCT.md §8);
  // the engine's own DETECTING event then renders the same text and is not printed twice.
  let pending = values.json
    ? ''
    : firstBannerChunk(renderer, await import('../banner/banner-state.js'));
  io.out(pending);
  let lastChunk = '';
  const sink = (text: string) => {
    const duplicate = text === pending;
    pending = '';
    if (duplicate) return;
    lastChunk = text;
    io.out(text);
  };
  const { runRecovery } = await import('../controllers/compose.js');
  const plan = typeof values.plan === 'string' ? await readPlan(values.plan) : undefined;
  if (plan && plan.workspaceId !== config.workspaceId) {
    throw new UsageError(
      `plan ${String(values.plan)} is for workspace ${plan.workspaceId}, not ${config.workspaceId}`,
    );
  }
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    const report = await runRecovery(config, {
      plan,
      command: `helios-recover recover (pid ${process.pid})`,
      onEvents: async (events$) => {
        const { attachBanner } = await import('../banner/attach-banner.js');
        return attachBanner(events$, renderer, sink).subscription;
      },
      onSubscriberError: (error) => io.err(`helios-recover: warning: ${error.message}\n`),
      pauseAt,
      onPause,
      signal: controller.signal,
    });
    if (values.json) io.out(`${JSON.stringify({ type: 'report', ...report })}\n`);
    if (tty && io.waitForKey && values.wait !== false) {
      await dismissOnKey(io, lastChunk, report);
    }
    if (report.stage !== 'LIVE') {
      if (!values.json)
        io.err(
          `helios-recover: recovery failed at ${report.stage.replace('_FAILED', '')}: ${report.failureReason}\n`,
        );
      return 1;
    }
    return report.withIssues ? 3 : 0;
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

async function readPlan(file: string) {
  const text = await readInputFile(file, 'plan ');
  const { decodePlanFile } = await import('../specs/plan-file.js');
  const decoded = decodePlanFile(text);
  if (!decoded.ok) throw new UsageError(`plan ${file}: ${decoded.reason}`);
  return decoded.plan;
}

/** Interactive dismissal: any key removes the boxed summary, leaving one line behind. */
async function dismissOnKey(
  io: CliIo,
  summary: string,
  report: { stage: string; withIssues: boolean; sessions: readonly { status: string }[] },
): Promise<void> {
  io.out('Press any key to dismiss.');
  await io.waitForKey!();
  const lines = (summary.match(/\n/g) ?? []).length;
  io.out(`\r\u001b[2K\u001b[${lines}A\u001b[0J`);
  const restored = report.sessions.filter(
    (s) => s.status === 'reattached' || s.status === 'respawned',
  ).length;
  const failed = report.sessions.filter((s) => s.status === 'failed').length;
  const header =
    report.stage !== 'LIVE'
      ? `Recovery failed at ${report.stage.replace('_FAILED', '')}`
      : report.withIssues
        ? 'Recovery complete with issues'
        : 'Recovery complete';
  io.out(
    `${header}: ${restored} restored, ${failed} failed (details: helios-recover status, audit.jsonl)\n`,
  );
}

function firstBannerChunk(
  renderer: BannerRenderer,
  { INITIAL_BANNER }: typeof import('../banner/banner-state.js'),
): string {
  const event = {
    id: 'first',
    type: 'event' as const,
    ts: new Date().toISOString(),
    topic: 'recovery.stage.changed' as const,
    payload: { from: null, to: 'DETECTING' as const, attempt: 1 },
  };
  return renderer.render(event, INITIAL_BANNER, { ...INITIAL_BANNER, stage: 'DETECTING' });
}
