import { describe, expect, it } from 'vitest';
import { stripAnsi, NO_COLOURS } from '../../../banner/ansi.js';
import { INITIAL_BANNER, restoreProgress } from '../../../banner/banner-state.js';
import { reduceBanner } from '../../../banner/reduce-banner.js';
import { createTtyRenderer } from '../../../banner/render-tty.js';
import { stageText } from '../../../banner/stage-text.js';
import type { RecoveryEvent } from '../../../specs/events.js';
import { anEvent } from '../../support/events.js';

const outcome = (id: string, status: 'reattached' | 'respawned') =>
  anEvent('recovery.session.restored', { sessionId: id, sessionName: `helios-${id}`, status });

/** After a crash: 3 sessions in the checkpoint, 2 survived (reattached), 1 to respawn. */
const twoSurvivors: RecoveryEvent[] = [
  anEvent('recovery.plan.computed', { actions: 3, blocked: 0, sessionsTotal: 3 }),
  anEvent('recovery.stage.changed', { from: 'INVENTORYING', to: 'RESTORING', attempt: 1 }),
  outcome('a', 'reattached'),
  outcome('b', 'reattached'),
];

describe('progress counts only the work that remains', () => {
  it('says 0 of 1 while the one respawn runs, the survivors counted as already live', () => {
    const state = twoSurvivors.reduce(reduceBanner, INITIAL_BANNER);
    expect(stageText(state)).toBe('Restoring sessions... 0 of 1 complete (2 already live).');
    expect(restoreProgress(state)).toEqual({ done: 0, failed: 0, restored: 0, total: 1, live: 2 });
    const done = reduceBanner(state, outcome('c', 'respawned'));
    expect(stageText(done)).toBe('Restoring sessions... 1 of 1 complete (2 already live).');
  });

  it('draws the bar over that work: empty until the respawn is done', () => {
    const renderer = createTtyRenderer(NO_COLOURS, 120);
    let state = INITIAL_BANNER;
    let shown = '';
    for (const event of [...twoSurvivors, outcome('c', 'respawned')]) {
      const before = state;
      state = reduceBanner(state, event);
      const text = stripAnsi(renderer.render(event, before, state));
      if (text) shown = text;
      if (event.payload && 'sessionId' in event.payload && event.payload.sessionId === 'b')
        expect(shown).toBe(
          `⟳ Restoring sessions... 0 of 1 complete (2 already live). [${'-'.repeat(24)}]`,
        );
    }
    expect(shown).toBe(
      `⟳ Restoring sessions... 1 of 1 complete (2 already live). [${'#'.repeat(24)}]`,
    );
  });

  it('says nothing about live sessions when every session needed work', () => {
    const state = [
      anEvent('recovery.plan.computed', { actions: 2, blocked: 0, sessionsTotal: 2 }),
      anEvent('recovery.stage.changed', { from: 'INVENTORYING', to: 'RESTORING', attempt: 1 }),
      outcome('a', 'respawned'),
    ].reduce(reduceBanner, INITIAL_BANNER);
    expect(stageText(state)).toBe('Restoring sessions... 1 of 2 complete.');
  });
});

describe('the live line stays on one row', () => {
  it('drops the bar, then cuts the text, rather than wrap in a narrow terminal', () => {
    const state = twoSurvivors.reduce(reduceBanner, INITIAL_BANNER);
    const line = (columns: number) =>
      stripAnsi(createTtyRenderer(NO_COLOURS, columns).render(twoSurvivors[3]!, state, state));
    expect(line(120)).toMatch(/complete \(2 already live\)\. \[-{24}\]$/);
    expect(line(70)).toBe('⟳ Restoring sessions... 0 of 1 complete (2 already live).');
    expect(line(40)).toBe('⟳ Restoring sessions... 0 of 1 complet…');
    for (const columns of [120, 70, 40]) expect([...line(columns)].length).toBeLessThan(columns);
  });
});
