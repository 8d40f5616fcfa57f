import type { Observable, Subscription } from 'rxjs';
import type { RecoveryEvent } from '../specs/events.js';
import { COLOURS, isInteractiveOutput, NO_COLOURS } from './ansi.js';
import { attachBanner, type OutputSink } from './attach-banner.js';
import { INITIAL_BANNER } from './banner-state.js';
import type { BannerRenderer } from './renderer.js';
import { jsonRenderer } from './render-json.js';
import { logRenderer } from './render-log.js';
import { plainRenderer } from './render-plain.js';
import { createTtyRenderer } from './render-tty.js';

/**
 * The one place a renderer is chosen (the CLI's recover and run, and the RecoveryBanner facade).
 * `auto`: the TTY renderer on an interactive terminal outside CI, else plain; `log` is the
 * daemon's timestamped log.
 */
export interface RendererChoice {
  readonly mode?: 'auto' | 'tty' | 'plain' | 'json' | 'log';
  readonly stream?: { isTTY?: boolean; write(text: string): unknown };
  readonly env?: NodeJS.ProcessEnv;
}

export function chooseRenderer(choice: RendererChoice = {}): BannerRenderer {
  const mode = choice.mode ?? 'auto';
  if (mode === 'json') return jsonRenderer;
  if (mode === 'plain') return plainRenderer;
  if (mode === 'log') return logRenderer;
  const interactive = isInteractiveOutput(
    choice.stream ?? process.stdout,
    choice.env ?? process.env,
  );
  if (mode === 'tty') return createTtyRenderer(interactive ? COLOURS : NO_COLOURS);
  return interactive ? createTtyRenderer(COLOURS) : plainRenderer;
}

/** Whether a renderer draws on a terminal (a live line and a box to dismiss). */
export const drawsOnTerminal = (renderer: BannerRenderer) =>
  renderer !== plainRenderer && renderer !== jsonRenderer && renderer !== logRenderer;

/** Subscribes `renderer` to the events, writing what it renders to `sink`. */
export function showBanner(
  events$: Observable<RecoveryEvent>,
  renderer: BannerRenderer,
  sink: OutputSink,
): Subscription {
  return attachBanner(events$, renderer, sink).subscription;
}

/** The banner's first line (DETECTING), for printing before the engine is loaded. */
export function firstBannerChunk(renderer: BannerRenderer): string {
  const event = {
    id: 'first',
    type: 'event' as const,
    ts: new Date().toISOString(),
    topic: 'recovery.stage.changed' as const,
    payload: { from: null, to: 'DETECTING' as const, attempt: 1 },
  };
  return renderer.render(event, INITIAL_BANNER, { ...INITIAL_BANNER, stage: 'DETECTING' });
}

/** The text renderers of plan, status and orphans, loaded when a command needs them. */
export async function textRenderers() {
  const [plan, status, orphans] = await Promise.all([
    import('./render-plan.js'),
    import('./render-status.js'),
    import('./render-orphans.js'),
  ]);
  return {
    renderPlanText: plan.renderPlanText,
    renderStatusText: status.renderStatusText,
    renderOrphanReport: orphans.renderOrphanReport,
    heldBackLine: orphans.heldBackLine,
  };
}
