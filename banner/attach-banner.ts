import type { Observable, Subscription } from 'rxjs';
import type { RecoveryEvent } from '../specs/events.js';
import { type BannerState, INITIAL_BANNER } from './banner-state.js';
import { reduceBanner, reduceBannerEvents } from './reduce-banner.js';
import type { BannerRenderer } from './renderer.js';

/** Where rendered text goes (stdout in the CLI, a buffer in tests). */
export type OutputSink = (text: string) => void;

/** At most one render of progress per frame (20 a second). */
export const FRAME_MS = 50;

/** Events that only add a session's or a lane's outcome: the ones that come by the thousand. */
const PROGRESS_TOPICS: ReadonlySet<string> = new Set([
  'recovery.session.restored',
  'recovery.session.failed',
  'recovery.lane.reinventoried',
  'recovery.lane.failed',
]);

/** The event a coalesced frame is rendered with: its last session outcome, else its last event. */
function lastOf(batch: readonly RecoveryEvent[]): RecoveryEvent {
  for (let i = batch.length - 1; i >= 0; i -= 1)
    if (batch[i]!.topic.startsWith('recovery.session.')) return batch[i]!;
  return batch.at(-1)!;
}

/**
 * Subscribes a renderer to the event stream and writes what it makes of each event. Progress is
 * coalesced: progress events wait (at most one frame) and are folded and rendered together, at
 * the frame's end or at once when any other event arrives (so the output keeps the stream's
 * order), when the stream completes, or when `state()` is read. Any other event is folded and
 * rendered on its own. `state()` is the state after every event received so far. A renderer
 * that is not `ready()` yet (still loading) gets the events once it is, in the same order.
 */
export function attachBanner(
  events$: Observable<RecoveryEvent>,
  renderer: BannerRenderer,
  sink: OutputSink,
  frameMs: number = FRAME_MS,
): { subscription: Subscription; state: () => BannerState } {
  let state = INITIAL_BANNER;
  let pending: RecoveryEvent[] = [];
  let frame: ReturnType<typeof setTimeout> | undefined;
  const write = (text: string) => {
    if (text.length > 0) sink(text);
  };
  const flush = () => {
    if (frame !== undefined) clearTimeout(frame);
    frame = undefined;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const before = state;
    state = reduceBannerEvents(state, batch);
    if (renderer.coalesces?.(before) ?? true) write(renderer.render(lastOf(batch), before, state));
    else for (const event of batch) write(renderer.render(event, before, state));
  };
  const handle = (event: RecoveryEvent) => {
    if (PROGRESS_TOPICS.has(event.topic)) {
      pending.push(event);
      frame ??= setTimeout(flush, frameMs);
      return;
    }
    flush();
    const before = state;
    state = reduceBanner(state, event);
    write(renderer.render(event, before, state));
  };
  // Events that arrive while the renderer still loads wait for it, in order; once the stream
  // completed they are rendered even if the subscriber has left since (the summary among them).
  let waiting: RecoveryEvent[] | null = null;
  let completed = false;
  const loading = renderer.ready?.() ?? null;
  if (loading) {
    waiting = [];
    void loading.then(() => {
      const held = waiting ?? [];
      waiting = null;
      if (subscription.closed && !completed) return;
      for (const event of held) handle(event);
      if (completed) flush();
    });
  }
  const subscription = events$.subscribe({
    next(event) {
      if (waiting) waiting.push(event);
      else handle(event);
    },
    complete() {
      completed = true;
      if (!waiting) flush();
    },
  });
  subscription.add(() => {
    if (frame !== undefined) clearTimeout(frame);
    frame = undefined;
  });
  return {
    subscription,
    state: () => {
      flush();
      return state;
    },
  };
}
