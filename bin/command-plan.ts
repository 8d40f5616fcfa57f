import { GLOBAL_HELP, parseCommandArgs, workspaceOptions } from './cli-args.js';
import { blindTo, EXIT_BLIND, sayBlind } from './blind-exit.js';
import type { CliIo } from './cli-io.js';
import { workspaceFlags } from './paste-flags.js';

const PLAN_HELP = `Usage: helios-recover plan [options]

Dry run: shows what \`recover\` would do now (reattach, reinventory, respawn) and what cannot be
restored and why. Changes nothing.

Options:
      --out FILE   also save the plan as JSON, for \`recover --plan FILE\`

${GLOBAL_HELP}

Exit status: 0 nothing to do, 2 changes planned, 4 blind (an observation the plan depends on
was unavailable: the plan is incomplete, named in one line on stderr), 1 error.
Sessions that cannot be restored are listed but are not changes.`;

export async function runPlanCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { out: { type: 'string' } });
  if (values.help) {
    io.out(`${PLAN_HELP}\n`);
    return 0;
  }
  const { configure, runPlan, savePlan } = await import('../controllers/compose.js');
  const preview = await runPlan(configure(workspaceOptions(values, io)));
  if (!preview.ok) {
    io.err(`helios-recover: ${preview.reason}\n`);
    return 1;
  }
  const { plan, checkpoint } = preview;
  // What was passed over to get here (a corrupt, oversized or FIFO checkpoint.json) is said.
  for (const skipped of checkpoint.skipped)
    io.err(`warning: skipped ${skipped.file}: ${skipped.reason}\n`);
  for (const warning of checkpoint.warnings) io.err(`warning: ${warning}\n`);
  if (typeof values.out === 'string') {
    try {
      await savePlan(values.out, plan);
    } catch (error) {
      io.err(`helios-recover: cannot write plan to ${values.out}: ${(error as Error).message}\n`);
      return 1;
    }
  }
  const blind = blindTo(plan.unavailable);
  const views = await import('../banner/choose-renderer.js');
  const texts = await views.textRenderers(workspaceFlags(values));
  if (values.json) {
    io.out(`${views.jsonWithSuggestions({ ...plan, blind }, texts.remedyText)}\n`);
  } else {
    io.out(texts.renderPlanText(plan));
    if (typeof values.out === 'string') io.out(`Plan saved to ${values.out}.\n`);
  }
  sayBlind(io, blind);
  if (blind !== null) return EXIT_BLIND;
  return plan.actions.length > 0 ? 2 : 0;
}
