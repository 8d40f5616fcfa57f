import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { attachBanner } from '../../../banner/attach-banner.js';
import { INITIAL_BANNER } from '../../../banner/banner-state.js';
import { reduceBanner } from '../../../banner/reduce-banner.js';
import { jsonRenderer } from '../../../banner/render-json.js';
import { plainRenderer } from '../../../banner/render-plain.js';
import { renderSummaryLines } from '../../../banner/render-summary.js';
import { stageText } from '../../../banner/stage-text.js';
import { aRecoveryWithOneFailure, anEvent } from '../../support/events.js';

function renderAll(renderer = plainRenderer, events = aRecoveryWithOneFailure()): string {
  let out = '';
  attachBanner(from(events), renderer, (text) => (out += text));
  return out;
}

describe('banner reducer', () => {
  it('folds the event stream into stage, counts and outcomes', () => {
    const state = aRecoveryWithOneFailure().reduce(reduceBanner, INITIAL_BANNER);
    expect(state).toMatchObject({
      stage: 'LIVE',
      checkpointsFound: 4,
      sessionsTotal: 3,
      done: true,
      withIssues: true,
      durationMs: 1234,
    });
    expect(state.sessions.map((s) => [s.sessionName, s.status])).toEqual([
      ['helios-s3', 'failed'],
      ['helios-s1', 'reattached'],
      ['helios-s2', 'respawned'],
    ]);
    expect(INITIAL_BANNER.sessions).toEqual([]);
  });

  it('has a text for every stage, the first one before anything is known', () => {
    expect(stageText(INITIAL_BANNER)).toBe('Detecting crash... checking processes.');
    // Restoring before the plan gave the total: what is known, never "0 of ?".
    expect(stageText({ ...INITIAL_BANNER, stage: 'RESTORING' })).toBe('Restoring sessions...');
    expect(stageText({ ...INITIAL_BANNER, stage: 'INVENTORYING' })).toBe(
      'Inventorying recoverable state...',
    );
    expect(stageText({ ...INITIAL_BANNER, stage: 'INVENTORYING', checkpointsFound: 1 })).toBe(
      'Inventorying recoverable state... found 1 checkpoint.',
    );
    expect(stageText({ ...INITIAL_BANNER, stage: 'RESTORING', sessionsTotal: 5 })).toBe(
      'Restoring sessions... 0 of 5 complete.',
    );
    expect(stageText({ ...INITIAL_BANNER, stage: 'RECONCILING' })).toBe(
      'Cleaning up orphaned processes...',
    );
    expect(stageText({ ...INITIAL_BANNER, stage: 'LIVE' })).toBe('Workspace is live.');
    expect(
      stageText({
        ...INITIAL_BANNER,
        stage: 'INVENTORYING_FAILED',
        stageReason: 'no checkpoint in /s',
      }),
    ).toBe('Recovery failed at INVENTORYING: no checkpoint in /s');
  });
});

describe('plain renderer', () => {
  it('prints each stage, progress while restoring and an honest summary with suggestions', () => {
    expect(renderAll()).toBe(
      [
        'Detecting crash... checking processes.',
        'Inventorying recoverable state...',
        'Inventorying recoverable state... found 4 checkpoints.',
        'Restoring sessions... 0 of 3 complete.',
        // The three outcomes arrive in one burst: one progress line for all of them; the
        // reattached survivor is no work left, and counted apart.
        'Restoring sessions... 1 of 2 restored, 1 failed (1 already live).',
        'Cleaning up orphaned processes...',
        'Recovery complete with issues (1.2 s)',
        '  Crash detected: lock holder pid 42 is gone',
        '  Sessions: 2 restored, 1 failed (of 3)',
        '    ✓ helios-s1  reattached',
        '    ✓ helios-s2  respawned',
        '    ✗ helios-s3  cwd_missing: directory /x no longer exists',
        '      → Recreate /x and run `helios-recover recover` again, or take a new checkpoint without helios-s3.',
        '  Lanes:',
        '    ✓ lane-a  reinventoried (/r/.helios-worktrees/lane-a)',
        '',
      ].join('\n'),
    );
  });

  it('says "Recovery complete" without issues, and names the failed stage otherwise', () => {
    const clean = [
      anEvent('recovery.stage.changed', { from: null, to: 'DETECTING', attempt: 1 }),
      anEvent('recovery.plan.computed', { actions: 0, blocked: 0, sessionsTotal: 2 }),
      anEvent('recovery.completed', {
        stage: 'LIVE',
        restored: 0,
        failed: 0,
        withIssues: false,
        durationMs: 50,
      }),
    ];
    expect(renderAll(plainRenderer, clean).split('\n').slice(1, 3)).toEqual([
      'Recovery complete (0.1 s)',
      '  Sessions: 0 restored, 0 failed, 2 already live (of 2)',
    ]);
    const failed = [
      anEvent('recovery.stage.changed', {
        from: 'DETECTING',
        to: 'INVENTORYING_FAILED',
        attempt: 1,
        reason: 'no checkpoint in /s',
      }),
      anEvent('recovery.completed', {
        stage: 'INVENTORYING_FAILED',
        restored: 0,
        failed: 0,
        withIssues: true,
        durationMs: 10,
      }),
    ];
    const state = failed.reduce(reduceBanner, INITIAL_BANNER);
    expect(renderSummaryLines(state)).toEqual([
      'Recovery failed at INVENTORYING (0.0 s)',
      '  Reason: no checkpoint in /s',
    ]);
  });
});

describe('summary notices', () => {
  it('shows safe mode with what is disabled and how to leave it', () => {
    const state = [
      anEvent('recovery.safemode.entered', { reason: '3 crashes within 60 s', crashes: 3 }),
      anEvent('recovery.completed', {
        stage: 'LIVE',
        restored: 0,
        failed: 0,
        withIssues: true,
        durationMs: 100,
      }),
    ].reduce(reduceBanner, INITIAL_BANNER);
    expect(renderSummaryLines(state).slice(1)).toEqual([
      '  SAFE MODE: 3 crashes within 60 s; share workers, background checkpoints and non-shell commands are disabled.',
      '      → Fix the cause, then run `helios-recover safe-mode exit`.',
    ]);
    expect(
      reduceBanner(state, anEvent('recovery.safemode.exited', { reason: 'operator' })).safeMode,
    ).toBeNull();
  });
});

describe('JSON renderer', () => {
  it('prints every event as one parseable line and nothing else', () => {
    const lines = renderAll(jsonRenderer).trimEnd().split('\n');
    expect(lines).toHaveLength(aRecoveryWithOneFailure().length);
    expect(lines.map((line) => JSON.parse(line).topic)).toEqual(
      aRecoveryWithOneFailure().map((e) => e.topic),
    );
  });
});
