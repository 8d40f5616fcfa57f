import { heldBackLine } from './render-orphans.js';
import type { BannerState } from './banner-state.js';
import { type RemedyText, renderRemedy } from './render-remedy.js';
import type { Remedy } from '../specs/remedies.js';

/** Seconds with one decimal, e.g. `1.4 s`. */
function formatDuration(ms: number | null): string {
  return ms === null ? '?' : `${(ms / 1000).toFixed(1)} s`;
}

/** The header: derived from what happened, never set by hand. */
function summaryHeader(state: BannerState): string {
  if (state.stage !== null && state.stage.endsWith('_FAILED')) {
    return `Recovery failed at ${state.stage.replace('_FAILED', '')}`;
  }
  return state.withIssues ? 'Recovery complete with issues' : 'Recovery complete';
}

/**
 * The honest summary as plain lines: what was restored and how, what failed with why and what
 * to do (each remedy as `remedyText` words it: the CLI's text by default), lanes, warnings,
 * duration. Pure: same state, same lines.
 */
export function renderSummaryLines(
  state: BannerState,
  remedyText: RemedyText = renderRemedy,
): string[] {
  const todo = (remedy: Remedy) => `      → ${remedyText(remedy)}`;
  const lines = [`${summaryHeader(state)} (${formatDuration(state.durationMs)})`];
  if (state.crash) lines.push(`  Crash detected: ${state.crash}`);
  if (state.safeMode) {
    lines.push(
      `  SAFE MODE: ${state.safeMode}; share workers, background checkpoints and non-shell commands are disabled.`,
    );
    lines.push(todo({ code: 'exit_safe_mode' }));
  }
  if (state.stateUnsaved) {
    lines.push(
      `  State not saved: ${state.stateUnsaved}; restored from the checkpoint without lock, resume point or audit log.`,
    );
    lines.push(todo({ code: 'fix_state_dir' }));
  }
  if (state.stageReason && state.stage?.endsWith('_FAILED')) {
    lines.push(`  Reason: ${state.stageReason}`);
    if (state.stageRemedy) lines.push(todo(state.stageRemedy));
  }
  const restored = state.sessions.filter((s) => s.status !== 'failed');
  const failed = state.sessions.filter((s) => s.status === 'failed');
  const total = state.sessionsTotal;
  if (total !== null) {
    const unchanged = Math.max(0, total - state.sessions.length);
    lines.push(
      `  Sessions: ${restored.length} restored, ${failed.length} failed${unchanged > 0 ? `, ${unchanged} already live` : ''} (of ${total})`,
    );
  }
  for (const session of restored) {
    const shape = session.shape
      ? ` (${session.shape.windows} ${session.shape.windows === 1 ? 'window' : 'windows'}, ${session.shape.panes} panes)`
      : '';
    lines.push(`    ✓ ${session.sessionName}  ${session.status}${shape}`);
    for (const program of session.notRestarted ?? []) lines.push(`      not restarted: ${program}`);
    for (const note of session.notes ?? []) lines.push(`      note: ${note}`);
  }
  for (const session of failed) {
    lines.push(`    ✗ ${session.sessionName}  ${session.reason}: ${session.message}`);
    if (session.remedy) lines.push(todo(session.remedy));
  }
  if (state.lanes.length > 0) {
    lines.push('  Lanes:');
    for (const lane of state.lanes) {
      lines.push(
        `    ${lane.status === 'failed' ? '✗' : '✓'} ${lane.laneId}  ${lane.status === 'failed' ? lane.detail : `reinventoried (${lane.detail})`}`,
      );
      if (lane.remedy) lines.push(todo(lane.remedy));
    }
  }
  if (state.orphans) {
    const { terminated, removed, reviewPending } = state.orphans;
    lines.push(
      `  Orphans: ${terminated} terminated, ${removed} removed, ${reviewPending} pending review`,
    );
    if (reviewPending > 0) lines.push(todo({ code: 'review_orphans' }));
    const held = heldBackLine(state.orphans.held);
    if (held) {
      lines.push(`  ${held}`);
      lines.push(todo({ code: 'clean_orphans' }));
    }
  }
  for (const warning of state.warnings) lines.push(`  Warning: ${warning}`);
  return lines;
}
