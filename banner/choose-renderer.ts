import type { Observable, Subscription } from 'rxjs';
import type { RecoveryEvent } from '../specs/events.js';
import { COLOURS, type ColourStream, isInteractiveOutput, NO_COLOURS, usesColour } from './ansi.js';
import { attachBanner, type OutputSink } from './attach-banner.js';
import { INITIAL_BANNER } from './banner-state.js';
import type { BannerRenderer } from './renderer.js';
import { createJsonRenderer, jsonRenderer, jsonWithSuggestions } from './render-json.js';
import { createLogRenderer, logRenderer } from './render-log.js';
import { createPlainRenderer, plainRenderer } from './render-plain.js';
import { cliRemedyText, type RemedyText, type WorkspaceFlags } from './render-remedy.js';
import { createTtyRenderer } from './render-tty.js';

export { cliRemedyText, jsonWithSuggestions, type RemedyText, type WorkspaceFlags };

/**
 * The one place a renderer is chosen (the CLI's recover and run, and the RecoveryBanner facade).
 * `auto`: the TTY renderer on an interactive terminal outside CI, else plain; `log` is the
 * daemon's timestamped log. The TTY renderer colours as Node's `hasColors()` says of the stream
 * (NO_COLOR, FORCE_COLOR, TERM). Remedies read as `remedyText` words them, else as the CLI's text
 * carrying `flags` (the options that select the workspace, so a pasted command acts on it).
 */
export interface RendererChoice {
  readonly mode?: 'auto' | 'tty' | 'plain' | 'json' | 'log';
  readonly stream?: ColourStream & { write(text: string): unknown };
  readonly env?: NodeJS.ProcessEnv;
  readonly flags?: WorkspaceFlags | undefined;
  readonly remedyText?: RemedyText | undefined;
}

export function chooseRenderer(choice: RendererChoice = {}): BannerRenderer {
  const mode = choice.mode ?? 'auto';
  const custom = choice.remedyText ?? (choice.flags ? cliRemedyText(choice.flags) : undefined);
  if (mode === 'json') return custom ? createJsonRenderer(custom) : jsonRenderer;
  if (mode === 'plain') return custom ? createPlainRenderer(custom) : plainRenderer;
  if (mode === 'log') return custom ? createLogRenderer(custom) : logRenderer;
  const stream = choice.stream ?? process.stdout;
  const env = choice.env ?? process.env;
  const style = usesColour(stream, env) ? COLOURS : NO_COLOURS;
  if (mode === 'tty' || isInteractiveOutput(stream, env))
    return createTtyRenderer(style, undefined, custom);
  return custom ? createPlainRenderer(custom) : plainRenderer;
}

/** Whether a renderer draws on a terminal (a live line and a box to dismiss). */
export const drawsOnTerminal = (renderer: BannerRenderer) => renderer.drawsOnTerminal === true;

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

/**
 * The CLI's texts besides the banner, loaded when a command needs them: plan, status and
 * orphans, and a remedy (a refusal's, a failed outcome's), their commands carrying `flags`.
 */
export async function textRenderers(flags?: WorkspaceFlags) {
  const [plan, status, orphans, remedies] = await Promise.all([
    import('./render-plan.js'),
    import('./render-status.js'),
    import('./render-orphans.js'),
    import('./render-remedy.js'),
  ]);
  return {
    renderPlanText: (value: Parameters<typeof plan.renderPlanText>[0]) =>
      plan.renderPlanText(value, flags),
    renderStatusText: (value: Parameters<typeof status.renderStatusText>[0]) =>
      status.renderStatusText(value, flags),
    renderOrphanReport: (
      value: Parameters<typeof orphans.renderOrphanReport>[0],
      dryRun: boolean,
    ) => orphans.renderOrphanReport(value, dryRun, flags),
    heldBackLine: orphans.heldBackLine,
    remedyText: remedies.cliRemedyText(flags),
  };
}
