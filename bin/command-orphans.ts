import { GLOBAL_HELP, parseCommandArgs, UsageError, workspaceOptions } from './cli-args.js';
import { blindTo, EXIT_BLIND, sayBlind } from './blind-exit.js';
import type { CliIo } from './cli-io.js';
import { workspaceFlags } from './paste-flags.js';

const ORPHANS_HELP = `Usage: helios-recover orphans [clean|approve ID|dismiss ID] [options]

What a crash left behind. Only a terminal's PTY leader or share worker that this state dir
started (marker env of this workspace instance, this user, matching start time, no live tmux or
zellij server among its ancestors) is terminated. Jobs the user started inside a session, name-only
matches, live sessions missing from the checkpoint (unless --prune) and lane worktrees not in the
checkpoint need review and are never touched. Other workspaces, instances and users are left
alone entirely. While any observation is unavailable, nothing is terminated or removed.

  orphans              scan: what is safe to terminate / remove, what needs review
  orphans clean        terminate (SIGHUP shells / SIGTERM, SIGKILL after 3 s), remove stale temp
                       files, record review items in review.json
  orphans approve ID   act on one review item after re-checking it is the same thing (a lane
                       with uncommitted work or untracked files is never removed; the files its
                       review listed go only with --discard-ignored / --discard-hidden-edits)
  orphans dismiss ID   leave a review item alone for good

Options:
      --dry-run          show what clean would do: "terminated (dry run)"
      --discard-ignored  approve: remove a lane worktree even though it holds git-ignored files
      --discard-hidden-edits
                         approve: remove a lane worktree even though it holds files git status
                         does not show (skip-worktree, assume-unchanged), edits included

${GLOBAL_HELP}

Exit status: scan 0 nothing found, 2 something found; clean/approve/dismiss 0 done; 4 blind (scan
or clean: an observation cleanup depends on was unavailable, named in one line on stderr;
nothing was terminated or removed); 1 error.`;

export async function runOrphansCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      'dry-run': { type: 'boolean' },
      'discard-ignored': { type: 'boolean' },
      'discard-hidden-edits': { type: 'boolean' },
    },
    2,
  );
  if (values.help) {
    io.out(`${ORPHANS_HELP}\n`);
    return 0;
  }
  const [sub = 'scan', id] = positionals;
  if (!['scan', 'clean', 'approve', 'dismiss'].includes(sub))
    throw new UsageError(`unknown orphans command "${sub}"`);
  if ((sub === 'approve' || sub === 'dismiss') !== (id !== undefined)) {
    throw new UsageError(
      sub === 'approve' || sub === 'dismiss'
        ? `orphans ${sub} needs a review ID`
        : `unexpected argument "${id}"`,
    );
  }
  const compose = await import('../controllers/compose.js');
  const config = compose.configure(workspaceOptions(values, io));
  const views = await import('../banner/choose-renderer.js');
  const { heldBackLine, remedyText, renderOrphanReport } = await views.textRenderers(
    workspaceFlags(values),
  );
  if (sub === 'approve' || sub === 'dismiss') {
    let message: string;
    try {
      message =
        sub === 'approve'
          ? await compose.approveReview(config, id!, {
              discardIgnored: values['discard-ignored'] === true,
              discardHiddenEdits: values['discard-hidden-edits'] === true,
            })
          : await compose.dismissReview(config, id!);
    } catch (error) {
      // A refusal with something to do about it: the reason, then what to do, on one line.
      const remedy = (error as { remedy?: Parameters<typeof remedyText>[0] }).remedy;
      if (!(error instanceof Error) || !remedy) throw error;
      io.err(`helios-recover: ${error.message}. ${remedyText(remedy)}\n`);
      return 1;
    }
    io.out(values.json ? `${JSON.stringify({ ok: true, id, message })}\n` : `${message}\n`);
    return 0;
  }
  const report = await compose.scanOrphans(config);
  const blind = blindTo(report.held);
  if (sub === 'scan' || values['dry-run']) {
    io.out(
      values.json
        ? `${views.jsonWithSuggestions({ ...report, dryRun: values['dry-run'] === true, blind }, remedyText)}\n`
        : renderOrphanReport(report, values['dry-run'] === true),
    );
    sayBlind(io, blind);
    if (blind !== null) return EXIT_BLIND;
    return report.totalFound > 0 ? 2 : 0;
  }
  const outcomes: { key: string; status: string; message: string }[] = [];
  const result = await compose.cleanupOrphans(config, report, (outcome) => {
    outcomes.push(outcome);
    if (values.json) return;
    io.out(
      `  ${outcome.status === 'succeeded' ? '✓' : outcome.status === 'skipped' ? '-' : '✗'} ${outcome.key}  ${outcome.message}\n`,
    );
    if (outcome.remedy) io.out(`      → ${remedyText(outcome.remedy)}\n`);
  });
  if (values.json)
    io.out(
      `${views.jsonWithSuggestions({ ...result, held: report.held, blind, outcomes }, remedyText)}\n`,
    );
  else {
    io.out(
      `Orphans: ${result.terminated} terminated, ${result.removed} removed, ${result.reviewPending} pending review.\n`,
    );
    const held = heldBackLine(report.held);
    if (held) io.out(`${held}\n`);
  }
  sayBlind(io, blind);
  if (outcomes.some((outcome) => outcome.status === 'failed')) return 1;
  return blind !== null ? EXIT_BLIND : 0;
}
