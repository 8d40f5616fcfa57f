import type { BannerState } from './banner-state.js';
import { outcomeCounts } from './banner-state.js';

/** The one-line text of the current stage (docs/ARCHITECTURE.md, "Events"). */
export function stageText(state: BannerState): string {
  switch (state.stage) {
    case null:
    case 'DETECTING':
      return 'Detecting crash... checking processes.';
    case 'INVENTORYING':
      return state.checkpointsFound === null
        ? 'Inventorying recoverable state...'
        : `Inventorying recoverable state... found ${state.checkpointsFound} checkpoint${state.checkpointsFound === 1 ? '' : 's'}.`;
    case 'RESTORING':
      return restoringText(state);
    case 'RECONCILING':
      return 'Cleaning up orphaned processes...';
    case 'LIVE':
      return 'Workspace is live.';
    default:
      return `Recovery failed at ${state.stage.replace('_FAILED', '')}: ${state.stageReason ?? 'unknown reason'}`;
  }
}

/**
 * Progress while restoring: "M of N complete." while nothing failed; once something did, what
 * came back and what did not, "R of N restored, F failed.", so a failure never reads as done.
 */
function restoringText(state: BannerState): string {
  const { failed, restored } = outcomeCounts(state);
  // Before the plan says how many there are: what is known, never "of ?".
  if (state.sessionsTotal === null || state.sessionsTotal === undefined) {
    if (restored + failed === 0) return 'Restoring sessions...';
    return failed === 0
      ? `Restoring sessions... ${restored} restored.`
      : `Restoring sessions... ${restored} restored, ${failed} failed.`;
  }
  const total = state.sessionsTotal;
  if (failed === 0) return `Restoring sessions... ${restored} of ${total} complete.`;
  return `Restoring sessions... ${restored} of ${total} restored, ${failed} failed.`;
}
