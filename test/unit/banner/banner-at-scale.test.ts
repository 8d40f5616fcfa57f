import fc from 'fast-check';
import { from, Subject } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { stripAnsi } from '../../../banner/ansi.js';
import { attachBanner } from '../../../banner/attach-banner.js';
import { completedCount, INITIAL_BANNER } from '../../../banner/banner-state.js';
import { reduceBanner } from '../../../banner/reduce-banner.js';
import { jsonRenderer } from '../../../banner/render-json.js';
import { plainRenderer } from '../../../banner/render-plain.js';
import { createTtyRenderer, loadFitting } from '../../../banner/render-tty.js';
import { NO_COLOURS } from '../../../banner/ansi.js';
import { stageText } from '../../../banner/stage-text.js';
import type { RecoveryEvent } from '../../../specs/events.js';
import { anEvent } from '../../support/events.js';

// The TTY renderer draws its box once its fitting (cell widths) is loaded.
beforeAll(() => loadFitting());

const restoring = (attempt = 1) =>
  anEvent('recovery.stage.changed', { from: 'INVENTORYING', to: 'RESTORING', attempt });
const total = (sessionsTotal: number) =>
  anEvent('recovery.plan.computed', { actions: 0, blocked: sessionsTotal, sessionsTotal });
const failed = (id: string) =>
  anEvent('recovery.session.failed', {
    sessionId: id,
    sessionName: `helios-${id}`,
    reason: 'cwd_missing',
    message: `directory /gone/${id} no longer exists`,
    remedy: { code: 'create_directory', path: `/gone/${id}`, sessionName: `helios-${id}` },
  });
const restored = (id: string) =>
  anEvent('recovery.session.restored', {
    sessionId: id,
    sessionName: `helios-${id}`,
    status: 'respawned',
  });

/** A recovery of `n` blocked sessions, all failing in one synchronous burst. */
function aBurst(n: number): RecoveryEvent[] {
  return [
    total(n),
    restoring(),
    ...Array.from({ length: n }, (_, i) => failed(`b${i}`)),
    anEvent('recovery.stage.changed', { from: 'RESTORING', to: 'RECONCILING', attempt: 1 }),
  ];
}

describe('the banner count is honest', () => {
  it('counts each session once, however often its outcome is reported', () => {
    // A retried stage reports its blocked entries again: 3 sessions, 5 reports.
    const events = [
      total(3),
      restoring(1),
      failed('a'),
      failed('b'),
      restoring(2),
      failed('a'),
      failed('b'),
      restored('c'),
    ];
    const state = events.reduce(reduceBanner, INITIAL_BANNER);
    expect(stageText(state)).toBe('Restoring sessions... 1 of 3 restored, 2 failed.');
    expect(state.sessions.map((s) => [s.sessionId, s.status])).toEqual([
      ['a', 'failed'],
      ['b', 'failed'],
      ['c', 'respawned'],
    ]);
  });

  it('never calls a failed session restored: 0 of 1 restored, 1 failed', () => {
    const state = [total(1), restoring(), failed('a')].reduce(reduceBanner, INITIAL_BANNER);
    expect(stageText(state)).toBe('Restoring sessions... 0 of 1 restored, 1 failed.');
    const fixed = reduceBanner(state, restored('a'));
    expect(stageText(fixed)).toBe('Restoring sessions... 1 of 1 complete.');
  });

  it('keeps the newest outcome of a session in its place', () => {
    const state = [total(2), restoring(), failed('a'), restored('b'), restored('a')].reduce(
      reduceBanner,
      INITIAL_BANNER,
    );
    expect(state.sessions.map((s) => [s.sessionId, s.status])).toEqual([
      ['a', 'respawned'],
      ['b', 'respawned'],
    ]);
  });

  it('never shows more done than the total, for any sequence of outcomes', () => {
    const outcome = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 12 }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(outcome), (n, outcomes) => {
        const events = [
          total(n),
          restoring(),
          ...outcomes.map(([ok, i]) => (ok ? restored(`s${i}`) : failed(`s${i}`))),
        ];
        let state = INITIAL_BANNER;
        for (const event of events) {
          state = reduceBanner(state, event);
          expect(completedCount(state)).toBeLessThanOrEqual(n);
        }
        const [, done, of, notRestored] = /(\d+) of (\d+) (?:complete|restored, (\d+) failed)/.exec(
          stageText(state),
        )!;
        expect(Number(done) + Number(notRestored ?? 0)).toBeLessThanOrEqual(Number(of));
      }),
    );
  });
});

describe('the banner coalesces progress', () => {
  it('renders a burst of outcomes once (plain), with the count after all of them', () => {
    let out = '';
    attachBanner(from(aBurst(10_000)), plainRenderer, (text) => (out += text));
    expect(out.split('\n').filter(Boolean)).toEqual([
      'Restoring sessions... 0 of 10000 complete.',
      'Restoring sessions... 0 of 10000 restored, 10000 failed.',
      'Cleaning up orphaned processes...',
    ]);
  });

  it('rewrites the live line once per frame on a terminal', () => {
    const frames: string[] = [];
    attachBanner(from(aBurst(10_000)), createTtyRenderer(NO_COLOURS, 120), (text) =>
      frames.push(stripAnsi(text)),
    );
    expect(frames).toEqual([
      '⟳ Detecting crash... checking processes.',
      '⟳ Restoring sessions... 0 of 10000 complete. [------------------------]',
      '⟳ Restoring sessions... 0 of 10000 restored, 10000 failed. [########################]',
      '⟳ Cleaning up orphaned processes...',
    ]);
  });

  it('still prints every event as JSON, in order', () => {
    const events = aBurst(500);
    let out = '';
    attachBanner(from(events), jsonRenderer, (text) => (out += text));
    const ids = out
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as RecoveryEvent).id);
    expect(ids).toEqual(events.map((e) => e.id));
  });

  it('renders progress that arrives over time at the end of its frame, and state() is current', async () => {
    const events$ = new Subject<RecoveryEvent>();
    let out = '';
    const banner = attachBanner(events$, plainRenderer, (text) => (out += text));
    events$.next(total(3));
    events$.next(restoring());
    events$.next(failed('a'));
    events$.next(failed('b'));
    expect(completedCount(banner.state())).toBe(2);
    events$.next(restored('c'));
    await new Promise<void>((resolve) => {
      const poll = () => (out.includes('1 of 3 restored') ? resolve() : setTimeout(poll, 5));
      poll();
    });
    expect(out.split('\n').filter(Boolean).at(-1)).toBe(
      'Restoring sessions... 1 of 3 restored, 2 failed.',
    );
    banner.subscription.unsubscribe();
  });
});
