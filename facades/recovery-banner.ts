import type { Remedy } from '../specs/remedies.js';
import { hasIssues, type RestorationResult } from '../specs/reports.js';
import type {
  ActiveStage,
  CleanupCounts,
  EventPayloads,
  RecoveryEvent,
  Topic,
} from '../specs/events.js';
import { type BannerState, INITIAL_BANNER } from '../banner/banner-state.js';
import { reduceBanner } from '../banner/reduce-banner.js';
import type { OutputSink } from '../banner/attach-banner.js';
import type { BannerRenderer } from '../banner/renderer.js';
import { chooseRenderer, drawsOnTerminal } from '../banner/choose-renderer.js';

export interface BannerOptions {
  /** `auto`: tty on an interactive terminal outside CI, else plain. */
  readonly mode?: 'auto' | 'tty' | 'plain' | 'json';
  readonly stream?: { isTTY?: boolean; write(text: string): unknown };
  readonly env?: NodeJS.ProcessEnv;
  /**
   * How a remedy (a failure's, safe mode's ...) reads in the summary; default: the CLI's text.
   * The host app words remedies as it likes: they are data (docs/REMEDIES.md).
   */
  readonly remedyText?: (remedy: Remedy) => string;
}

/** What `showSummary` takes: a RestorationPipeline result (cleanup counts come separately). */
export type SummaryInput = RestorationResult;

/**
 * Seed facade for the host app: drive the banner by hand (`show`, `updateProgress`,
 * `showSummary`, `dismiss`). It feeds the same reducer and renderers as the event stream.
 */
export class RecoveryBanner {
  #state: BannerState = INITIAL_BANNER;
  #dismissed = false;
  #renderedLines = 0;
  readonly #renderer: BannerRenderer;
  readonly #sink: OutputSink;
  readonly #tty: boolean;

  constructor(options: BannerOptions = {}) {
    const stream = options.stream ?? process.stdout;
    this.#renderer = chooseRenderer(options);
    this.#tty = drawsOnTerminal(this.#renderer);
    this.#sink = (text) => void stream.write(text);
  }

  get state(): BannerState {
    return this.#state;
  }

  show(stage: ActiveStage): void {
    this.#emit('recovery.stage.changed', { from: this.#state.stage, to: stage, attempt: 1 });
  }

  /** Progress of a stage: checkpoints found while inventorying, sessions done while restoring. */
  updateProgress(
    stage: ActiveStage,
    detail: { checkpointsFound?: number; completed?: number; total?: number },
  ): void {
    if (this.#state.stage !== stage) this.show(stage);
    if (detail.checkpointsFound !== undefined) {
      this.#emit('recovery.checkpoint.loaded', {
        generation: 0,
        source: '',
        sessions: detail.total ?? 0,
        corrupt: 0,
        checkpointsFound: detail.checkpointsFound,
        warnings: [],
      });
    }
    if (detail.total !== undefined && this.#state.sessionsTotal !== detail.total) {
      this.#emit('recovery.plan.computed', {
        actions: detail.total,
        blocked: 0,
        sessionsTotal: detail.total,
      });
    }
    for (
      let done = this.#state.sessions.length;
      detail.completed !== undefined && done < detail.completed;
      done += 1
    ) {
      this.#emit('recovery.session.restored', {
        sessionId: `#${done + 1}`,
        sessionName: `#${done + 1}`,
        status: 'respawned',
      });
    }
  }

  showSummary(result: SummaryInput, cleanup?: CleanupCounts): void {
    this.#state = {
      ...this.#state,
      sessions: [],
      sessionsTotal: result.restored.length + result.failed.length,
    };
    for (const s of result.restored) {
      this.#state = reduceBanner(
        this.#state,
        event('recovery.session.restored', {
          sessionId: s.sessionId,
          sessionName: s.sessionName,
          status: s.status === 'reattached' ? 'reattached' : 'respawned',
        }),
      );
    }
    for (const f of result.failed) {
      this.#state = reduceBanner(
        this.#state,
        event('recovery.session.failed', {
          sessionId: f.sessionId,
          sessionName: f.sessionName,
          reason: f.reason,
          message: f.message,
          remedy: f.remedy,
        }),
      );
    }
    if (cleanup)
      this.#state = reduceBanner(this.#state, event('recovery.orphans.cleaned', cleanup));
    const withIssues = hasIssues({
      stage: 'LIVE',
      failed: result.failed.length,
      cleanup,
      unavailable: [],
      stateUnsaved: null,
    });
    this.#emit('recovery.completed', {
      stage: 'LIVE',
      restored: result.restored.length,
      failed: result.failed.length,
      withIssues,
      durationMs: result.duration,
    });
  }

  /** Removes the banner from an interactive terminal; idempotent. */
  dismiss(): void {
    if (this.#dismissed) return;
    this.#dismissed = true;
    if (this.#tty && this.#renderedLines > 0) this.#sink(`\u001b[${this.#renderedLines}A\u001b[0J`);
  }

  #emit<T extends Topic>(topic: T, payload: EventPayloads[T]): void {
    const before = this.#state;
    const next = event(topic, payload);
    this.#state = reduceBanner(before, next);
    const text = this.#renderer.render(next, before, this.#state);
    if (text.length === 0) return;
    this.#renderedLines = (text.match(/\n/g) ?? []).length;
    this.#sink(text);
  }
}

let sequence = 0;
function event<T extends Topic>(topic: T, payload: EventPayloads[T]): RecoveryEvent {
  sequence += 1;
  return {
    id: `banner-${sequence}`,
    type: 'event',
    ts: new Date().toISOString(),
    topic,
    payload,
  } as RecoveryEvent;
}
