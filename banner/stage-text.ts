import type { BannerState } from './banner-state.js';
import { completedCount } from './banner-state.js';

/** The one-line text of the current stage (PRODUCT.md section 5). */
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
      return `Restoring sessions... ${completedCount(state)} of ${state.sessionsTotal ?? '?'} complete.`;
    case 'RECONCILING':
      return 'Cleaning up orphaned processes...';
    case 'LIVE':
      return 'Workspace is live.';
    default:
      return `Recovery failed at ${state.stage.replace('_FAILED', '')}: ${state.stageReason ?? 'unknown reason'}`;
  }
}
