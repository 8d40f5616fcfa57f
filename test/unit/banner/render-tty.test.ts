import { beforeAll, describe, expect, it } from 'vitest';
import { COLOURS, stripAnsi } from '../../../banner/ansi.js';
import { INITIAL_BANNER } from '../../../banner/banner-state.js';
import { reduceBanner } from '../../../banner/reduce-banner.js';
import { jsonRenderer } from '../../../banner/render-json.js';
import { plainRenderer } from '../../../banner/render-plain.js';
import {
  boxLines,
  createTtyRenderer,
  loadFitting,
  progressBar,
} from '../../../banner/render-tty.js';
import { chooseRenderer } from '../../../banner/choose-renderer.js';
import { RecoveryBanner } from '../../../facades/recovery-banner.js';
import type { RecoveryEvent } from '../../../specs/events.js';
import { aRecoveryWithOneFailure, anEvent } from '../../support/events.js';

// The TTY renderer draws its box once its fitting (cell widths) is loaded.
beforeAll(() => loadFitting());

/** What a terminal would show after each event: the live line, or the final box. */
function frames(events: RecoveryEvent[]): string[] {
  const renderer = createTtyRenderer(COLOURS, 200);
  let state = INITIAL_BANNER;
  const shown: string[] = [];
  for (const event of events) {
    const before = state;
    state = reduceBanner(state, event);
    const text = renderer.render(event, before, state);
    if (text) shown.push(stripAnsi(text));
  }
  return shown;
}

const who = (id: string) => ({
  sessionId: id,
  sessionName: `helios-${id}`,
  terminalId: `t-${id}`,
  laneId: null,
  multiplexer: 'tmux' as const,
});

describe('TTY renderer', () => {
  it('rewrites one live line per stage, with a progress bar while restoring', () => {
    const shown = frames(aRecoveryWithOneFailure());
    expect(shown.slice(0, 9)).toEqual([
      '⟳ Detecting crash... checking processes.',
      '⟳ Detecting crash... checking processes.',
      '⟳ Inventorying recoverable state...',
      '⟳ Inventorying recoverable state... found 4 checkpoints.',
      '⟳ Inventorying recoverable state... found 4 checkpoints.',
      '⟳ Restoring sessions... 0 of 3 complete. [------------------------]',
      '⟳ Restoring sessions... 0 of 3 restored, 1 failed. [########----------------]',
      '⟳ Restoring sessions... 0 of 2 restored, 1 failed (1 already live). [############------------]',
      '⟳ Restoring sessions... 1 of 2 restored, 1 failed (1 already live). [########################]',
    ]);
    expect(shown[10]).toBe('⟳ Cleaning up orphaned processes...');
  });

  it('ends with a boxed summary naming failures and their suggestion', () => {
    const box = frames(aRecoveryWithOneFailure()).at(-1)!.split('\n');
    expect(box[0]).toMatch(/^┌─+┐$/);
    expect(box[1]).toMatch(/^│ Recovery complete with issues \(1\.2 s\) +│$/);
    expect(box).toContainEqual(
      expect.stringMatching(/^│ {5}✗ helios-s3 {2}cwd_missing: directory \/x no longer exists +│$/),
    );
    expect(box).toContainEqual(
      expect.stringMatching(/^│ {7}→ Recreate \/x and run `helios-recover recover` again, .* +│$/),
    );
    expect(new Set(box.filter(Boolean).map((line) => [...line].length)).size).toBe(1);
  });

  it('says "Recovery complete" when nothing failed', () => {
    const events = [
      anEvent('recovery.plan.computed', { actions: 1, blocked: 0, sessionsTotal: 1 }),
      anEvent('recovery.session.restored', {
        sessionId: 's1',
        sessionName: 'helios-s1',
        status: 'respawned',
      }),
      anEvent('recovery.completed', {
        stage: 'LIVE',
        restored: 1,
        failed: 0,
        withIssues: false,
        durationMs: 300,
      }),
    ];
    const box = frames(events).at(-1)!;
    expect(box).toContain('│ Recovery complete (0.3 s)');
    expect(box).not.toContain('issues');
  });

  it('draws bars and boxes', () => {
    expect(progressBar(0, null)).toBe(`[${'-'.repeat(24)}]`);
    expect(progressBar(5, 4)).toBe(`[${'#'.repeat(24)}]`);
    expect(boxLines(['a', 'bcd'])).toEqual(['┌─────┐', '│ a   │', '│ bcd │', '└─────┘']);
  });
});

describe('renderer choice and the RecoveryBanner facade', () => {
  it('uses colours and redraws only on a TTY outside CI', () => {
    expect(chooseRenderer({ stream: { isTTY: false, write: () => true }, env: {} })).toBe(
      plainRenderer,
    );
    expect(
      chooseRenderer({ stream: { isTTY: true, write: () => true }, env: { CI: 'true' } }),
    ).toBe(plainRenderer);
    expect(chooseRenderer({ mode: 'json' })).toBe(jsonRenderer);
    const tty = chooseRenderer({ stream: { isTTY: true, write: () => true }, env: {} });
    expect(tty).not.toBe(plainRenderer);
  });

  it('shows stages, progress and a summary with orphans, then dismisses once', () => {
    let out = '';
    const banner = new RecoveryBanner({
      mode: 'tty',
      stream: { isTTY: false, write: (text: string) => (out += text) },
    });
    banner.show('DETECTING');
    banner.updateProgress('INVENTORYING', { checkpointsFound: 2 });
    banner.updateProgress('RESTORING', { completed: 1, total: 2 });
    expect(
      stripAnsi(out).endsWith(
        '⟳ Restoring sessions... 1 of 2 complete. [############------------]',
      ),
    ).toBe(true);
    expect(banner.state.stage).toBe('RESTORING');
    out = '';
    banner.showSummary(
      {
        restored: [{ ...who('s1'), status: 'reattached' }],
        failed: [
          {
            ...who('s2'),
            reason: 'cwd_missing',
            message: 'gone',
            remedy: { code: 'create_directory', path: '/gone', sessionName: 'helios-s2' },
          },
        ],
        duration: 2000,
      },
      { terminated: 2, removed: 1, reviewPending: 1 },
    );
    const text = stripAnsi(out);
    expect(text).toContain('Recovery complete with issues (2.0 s)');
    expect(text).toContain('Orphans: 2 terminated, 1 removed, 1 pending review');
    expect(text).toContain('Review them with `helios-recover orphans`');
    expect(out).not.toMatch(/\u001b\[(1|3[123])m/); // not a TTY: no colours
    out = '';
    banner.dismiss();
    banner.dismiss();
    expect(out).toMatch(/^\u001b\[\d+A\u001b\[0J$/);
  });
});
