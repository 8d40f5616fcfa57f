import type { RecoveryEvent } from '../specs/events.js';
import type { BannerState } from './banner-state.js';

/**
 * A renderer turns one event (with the banner state before and after it) into the text to write,
 * possibly empty. Pure: the output sink is the caller's.
 *
 * Progress events (a session or lane finished) arrive in bursts of thousands; attachBanner folds
 * each frame's worth at once and renders one of them (the last session outcome, else the last
 * event), with the state before and after all of them. A renderer that must print every event (JSON lines, the daemon's log once live)
 * says so with `coalesces` returning false: it is then called for each of them, in order, with
 * that same frame's before and after.
 */
export interface BannerRenderer {
  render(event: RecoveryEvent, before: BannerState, after: BannerState): string;
  /** Whether progress may be coalesced in `state` (the state before the frame); absent: yes. */
  coalesces?(state: BannerState): boolean;
  /** True for a renderer that draws on a terminal (a live line, a box to dismiss). */
  readonly drawsOnTerminal?: boolean;
  /**
   * What the renderer still loads before it renders as it should (the TTY renderer's fitting
   * of text to cells), or null when nothing; absent: nothing. attachBanner waits for it.
   */
  readonly ready?: () => Promise<void> | null;
}
