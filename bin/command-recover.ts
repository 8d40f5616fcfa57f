import {
  GLOBAL_HELP,
  parseCommandArgs,
  readInputFile,
  UsageError,
  workspaceOptions,
} from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { didYouMean } from './did-you-mean.js';
import { workspaceFlags } from './paste-flags.js';

const RECOVER_HELP = `Usage: helios-recover recover [options]

Brings the workspace back to its newest valid checkpoint: DETECTING -> INVENTORYING ->
RESTORING -> RECONCILING -> LIVE. Survivors are reattached, missing sessions respawned in their
cwd with their env, shell and scrollback; what cannot be restored is reported with a suggestion.
An interrupted recovery resumes where it stopped.

Options:
      --plan FILE   apply exactly this saved plan (from \`plan --out\`); refused if stale
      --generation N
                    roll back: generation N (or a snapshot name, see \`checkpoints\`) is
                    written again as the next generation, then recovered. Live sessions it
                    lacks are kept and flagged for review, never terminated (no --prune);
                    the generations rolled back over stay listed. A generation that does not
                    read, or has a corrupt entry, is refused (no other one is used instead)
      --session NAME
                    restore only this session (repeatable); every other session is left as
                    it is (not respawned, not repaired) and orphan cleanup is skipped. With
                    --generation, these sessions are taken from that generation into the
                    newest checkpoint and only they are restored
      --no-wait     on a terminal, do not wait for a key to dismiss the summary
                    (never waits when stdin is not a terminal)

${GLOBAL_HELP}

Exit status: 0 recovered, 3 recovered with issues (see the summary), 1 error.`;

export async function runRecoverCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    plan: { type: 'string' },
    generation: { type: 'string' },
    session: { type: 'string', multiple: true },
    wait: { type: 'boolean' },
    'no-wait': { type: 'boolean' },
  });
  if (values['no-wait']) values.wait = false;
  if (values.help) {
    io.out(`${RECOVER_HELP}\n`);
    return 0;
  }
  const generation = values.generation as string | undefined;
  const sessions = (values.session as string[] | undefined) ?? [];
  if (values.plan !== undefined && (generation !== undefined || sessions.length > 0))
    throw new UsageError(
      '--plan applies a saved plan as it is: not with --generation or --session',
    );
  if (values.prune && generation !== undefined)
    throw new UsageError(
      '--prune cannot be used with --generation: a rollback never terminates live sessions',
    );
  const compose = await import('../controllers/compose.js');
  const { configure, readPlan, runRecovery } = compose;
  const config = configure(workspaceOptions(values, io));
  // Refused before anything runs, with one line: a generation or session that is not there.
  if (generation !== undefined) {
    const resolved = await compose.resolveGeneration(config, generation);
    if (!resolved.ok)
      throw new Error(`${resolved.reason}${didYouMean(generation, resolved.known)}`);
  }
  if (sessions.length > 0) {
    const known = await compose.sessionNamesOf(config, generation);
    if (!known.ok) throw new Error(known.reason);
    const unknown = sessions.find((name) => !known.names.includes(name));
    if (unknown !== undefined)
      throw new Error(
        `no session named "${unknown}" in ${generation === undefined ? 'the newest checkpoint' : /^\d+$/.test(generation) ? `generation ${generation}` : `snapshot ${generation}`} (sessions: ${known.names.join(', ') || 'none'})${didYouMean(unknown, known.names)}`,
      );
  }
  const tty = !values.json && io.interactive === true;
  const { chooseRenderer, cliRemedyText, firstBannerChunk, jsonWithSuggestions, showBanner } =
    await import('../banner/choose-renderer.js');
  // Every command the banner suggests carries this workspace's options.
  const remedyText = cliRemedyText(workspaceFlags(values));
  const renderer = chooseRenderer({
    mode: values.json ? 'json' : tty ? 'tty' : 'plain',
    remedyText,
  });
  // The first stage is on screen before the engine is even loaded (cold start, docs/PERFORMANCE.md);
  // the engine's own DETECTING event then renders the same text and is not printed twice.
  let pending = values.json ? '' : firstBannerChunk(renderer);
  io.out(pending);
  let lastChunk = '';
  const sink = (text: string) => {
    const duplicate = text === pending;
    pending = '';
    if (duplicate) return;
    lastChunk = text;
    io.out(text);
  };
  const plan =
    typeof values.plan === 'string' ? await readPlanFile(values.plan, readPlan) : undefined;
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
      generation,
      sessions,
      command: `helios-recover recover (pid ${process.pid})`,
      onEvents: (events$) => showBanner(events$, renderer, sink),
      onSubscriberError: (error) => io.err(`helios-recover: warning: ${error.message}\n`),
      signal: controller.signal,
    });
    if (values.json) io.out(`${jsonWithSuggestions({ type: 'report', ...report }, remedyText)}\n`);
    if (tty && io.waitForKey && values.wait !== false) {
      await dismissOnKey(io, lastChunk, report);
    }
    if (report.stage !== 'LIVE') {
      if (!values.json) {
        const remedy = report.failureRemedy ? `. ${remedyText(report.failureRemedy)}` : '';
        io.err(
          `helios-recover: recovery failed at ${report.stage.replace('_FAILED', '')}: ${report.failureReason}${remedy}\n`,
        );
      }
      return 1;
    }
    return report.withIssues ? 3 : 0;
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

async function readPlanFile(
  file: string,
  readPlan: typeof import('../controllers/compose.js').readPlan,
) {
  const text = await readInputFile(file, 'plan ');
  const decoded = await readPlan(text);
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
