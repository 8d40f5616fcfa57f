import type { RecoveryEvent } from '../specs/events.js';
import type { BannerState } from './banner-state.js';
import { createPlainRenderer } from './render-plain.js';
import type { RemedyText } from './render-remedy.js';
import type { BannerRenderer } from './renderer.js';

/**
 * The daemon's log: the plain banner while recovering (its summary words remedies with
 * `remedyText`), then one timestamped line per thing the loop did (drift repaired, session
 * failed, orphan terminated or flagged, safe mode).
 */
export function createLogRenderer(remedyText?: RemedyText): BannerRenderer {
  const plainRenderer = createPlainRenderer(remedyText);
  return {
    render(event: RecoveryEvent, before: BannerState, after: BannerState): string {
      if (!(before.done || event.topic.startsWith('recovery.safemode')))
        return plainRenderer.render(event, before, after);
      const line = (() => {
        const p = event.payload as Record<string, unknown>;
        switch (event.topic) {
          case 'recovery.session.restored':
            return `${String(p.status)} ${String(p.sessionName)}`;
          case 'recovery.session.failed':
            return `failed ${String(p.sessionName)}: ${String(p.reason)}: ${String(p.message)}`;
          case 'recovery.orphan.terminated':
            return `terminated ${String(p.target)} (${String(p.how)})`;
          case 'recovery.orphan.flagged':
            return `flagged for review ${String(p.reviewId)}: ${String(p.detail)}`;
          case 'recovery.safemode.entered':
            return `SAFE MODE: ${String(p.reason)}; share workers, background checkpoints and non-shell commands are disabled`;
          case 'recovery.safemode.exited':
            return 'safe mode exited';
          default:
            return null;
        }
      })();
      return line === null ? '' : `[${event.ts}] ${line}\n`;
    },
    // The recovery's progress is the plain banner's; once live, every repair is a line of its own.
    coalesces: (state: BannerState) => !state.done,
  };
}

/** The daemon's log with the CLI's remedy text and no workspace flags. */
export const logRenderer: BannerRenderer = createLogRenderer();
