import type { RecoveryEvent } from '../specs/events.js';
import type { BannerState } from './banner-state.js';

/**
 * A renderer turns one event (with the banner state before and after it) into the text to write,
 * possibly empty. Pure: the output sink is the caller's.
 */
export interface BannerRenderer {
  render(event: RecoveryEvent, before: BannerState, after: BannerState): string;
}
