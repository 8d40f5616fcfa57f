import { describeIdentity } from '../specs/identity-text.js';
import { describeTerminateTarget } from '../specs/plan-text.js';
import type { OrphanReport } from '../specs/reports.js';
import { commandLine, NO_FLAGS, renderRemedy, type WorkspaceFlags } from './render-remedy.js';

/** Why cleanup did nothing destructive: the observations it could not see (empty: none). */
export function heldBackLine(held: readonly string[] | undefined): string | null {
  return held && held.length > 0
    ? `Cleanup held back: nothing terminated or removed while blind to ${held.join('; ')}.`
    : null;
}

/**
 * `helios-recover orphans` as text: safe items, then review items with their ids, each with the
 * identity approve re-checks (a session's server, creation, panes and cwd; a lane's HEAD); its
 * commands carry `flags`.
 */
export function renderOrphanReport(
  report: OrphanReport,
  dryRun: boolean,
  flags: WorkspaceFlags = NO_FLAGS,
): string {
  const cli = (...command: string[]) => `\`${commandLine(command, flags)}\``;
  const lines: string[] = [];
  if (report.safeToTerminate.length > 0) lines.push('Safe to clean (proven ours):');
  for (const action of report.safeToTerminate) {
    const what = action.kind === 'remove' ? action.path : describeTerminateTarget(action.target);
    const verb = action.kind === 'remove' ? 'removed' : 'terminated';
    lines.push(`  ${dryRun ? `${verb} (dry run)` : `to be ${verb}`}: ${what}  [${action.reason}]`);
  }
  if (report.needsReview.length > 0) lines.push('Needs review (not proven ours; never touched):');
  for (const item of report.needsReview) {
    const id = 'kind' in item ? item.reviewId : item.id;
    const state =
      'kind' in item ? (dryRun ? 'flagged (dry run)' : 'new') : `pending since ${item.flaggedAt}`;
    lines.push(`  ${id}  ${item.detail}  [${item.reason}] (${state})`);
    // What approve checks it still is: the operator compares it with what they know.
    if (item.identity) lines.push(`      is: ${describeIdentity(item.identity)}`);
    if (item.remedy) lines.push(`      → ${renderRemedy(item.remedy, flags)}`);
  }
  const held = heldBackLine(report.held);
  if (held) lines.push(held);
  // Blind, an empty scan proves nothing: it is not "none found".
  if (report.totalFound === 0)
    lines.push(held ? 'None found in what could be observed.' : 'No orphans found.');
  else {
    lines.push(
      `${report.totalFound} found. ${cli('orphans', 'clean')} cleans what is safe and records the rest;`,
    );
    const approve = commandLine(['orphans', 'approve'], flags, ['ID']);
    lines.push(`\`${approve}\` / \`dismiss ID\` settle a review item.`);
  }
  return `${lines.join('\n')}\n`;
}
