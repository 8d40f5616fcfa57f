import type { BannerState } from './banner-state.js';
import { restoreProgress } from './banner-state.js';

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
 * Progress while restoring, over the work that remains (sessions found live are counted apart,
 * "(2 already live)"): "M of N complete." while nothing failed; once something did, what came
 * back and what did not, "R of N restored, F failed.", so a failure never reads as done.
 */
function restoringText(state: BannerState): string {
  const { failed, restored, total, live } = restoreProgress(state);
  const already = live > 0 ? ` (${live} already live)` : '';
  // Before the plan says how many there are: what is known, never "of ?".
  if (total === null) {
    if (restored + failed === 0) return `Restoring sessions...${already && `${already}.`}`;
    return failed === 0
      ? `Restoring sessions... ${restored} restored${already}.`
      : `Restoring sessions... ${restored} restored, ${failed} failed${already}.`;
  }
  if (failed === 0) return `Restoring sessions... ${restored} of ${total} complete${already}.`;
  return `Restoring sessions... ${restored} of ${total} restored, ${failed} failed${already}.`;
}
