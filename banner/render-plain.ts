import type { RecoveryEvent } from '../specs/events.js';
import type { BannerState } from './banner-state.js';
import type { BannerRenderer } from './renderer.js';
import { type RemedyText, renderRemedy } from './render-remedy.js';
import { renderSummaryLines } from './render-summary.js';
import { stageText } from './stage-text.js';

/**
 * Plain text for logs, pipes and CI: one line per stage and per restored session, no colour;
 * the summary words remedies with `remedyText` (the CLI's text by default).
 */
export function createPlainRenderer(remedyText: RemedyText = renderRemedy): BannerRenderer {
  return {
    render(event: RecoveryEvent, before: BannerState, after: BannerState): string {
      switch (event.topic) {
        case 'recovery.stage.changed':
          return after.stage === 'LIVE' || after.stage?.endsWith('_FAILED')
            ? ''
            : `${stageText(after)}\n`;
        case 'recovery.checkpoint.loaded':
          return `${stageText(after)}\n`;
        case 'recovery.session.restored':
        case 'recovery.session.failed':
          return before.stage === 'RESTORING' ? `${stageText(after)}\n` : '';
        case 'recovery.completed':
          return `${renderSummaryLines(after, remedyText).join('\n')}\n`;
        default:
          return '';
      }
    },
  };
}

/** The plain renderer with the CLI's remedy text and no workspace flags. */
export const plainRenderer: BannerRenderer = createPlainRenderer();
