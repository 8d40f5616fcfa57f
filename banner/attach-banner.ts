import type { Observable, Subscription } from 'rxjs';
import type { RecoveryEvent } from '../specs/events.js';
import { type BannerState, INITIAL_BANNER } from './banner-state.js';
import { reduceBanner } from './reduce-banner.js';
import type { BannerRenderer } from './renderer.js';

/** Where rendered text goes (stdout in the CLI, a buffer in tests). */
export type OutputSink = (text: string) => void;

/**
 * Subscribes a renderer to the event stream: folds each event into the banner state and writes
 * what the renderer makes of it. `state()` is the latest banner state.
 */
export function attachBanner(
  events$: Observable<RecoveryEvent>,
  renderer: BannerRenderer,
  sink: OutputSink,
): { subscription: Subscription; state: () => BannerState } {
  let state = INITIAL_BANNER;
  const subscription = events$.subscribe((event) => {
    const before = state;
    state = reduceBanner(state, event);
    const text = renderer.render(event, before, state);
    if (text.length > 0) sink(text);
  });
  return { subscription, state: () => state };
}
