import { describe, expect, it } from 'vitest';
import { isBackedOff, recordOutcomes } from '../../../../controllers/daemon/backoff.js';
import { isShellCommand } from '../../../../actions/launch-command.js';
import { crashesInWindow } from '../../../../controllers/recover/detect-crash.js';
import { INITIAL_BANNER } from '../../../../banner/banner-state.js';
import { logRenderer } from '../../../../banner/render-log.js';
import type { Outcome } from '../../../../specs/outcome.js';
import type { Action } from '../../../../specs/plan.js';
import { aSession } from '../../../support/builders.js';
import { anEvent } from '../../../support/events.js';

const outcome = (key: string, status: Outcome['status']): Outcome => ({
  key,
  kind: 'respawn',
  status,
  reason: 'r',
  message: 'm',
  durationMs: 1,
});

const respawnOf = (key: string, command = '/bin/sh'): Action => ({
  kind: 'respawn',
  key,
  wave: 3,
  reason: 'no_live_session',
  backend: 'tmux',
  replacesExited: false,
  session: aSession({ sessionId: key, shellCommand: [command] }),
});

describe('per-resource backoff', () => {
  it('doubles the wait of a failing resource up to 5 minutes and clears it on success', () => {
    const [a, b] = [respawnOf('a'), respawnOf('b')];
    let table = recordOutcomes(
      new Map(),
      [outcome('a', 'failed'), outcome('b', 'succeeded')],
      [a, b],
      0,
    );
    expect(table.get('a')).toEqual({ failures: 1, retryAt: 5_000, parked: undefined });
    expect(isBackedOff(table, a, 4_999)).toBe(true);
    expect(isBackedOff(table, a, 5_000)).toBe(false);
    expect(isBackedOff(table, b, 0)).toBe(false);
    table = recordOutcomes(table, [outcome('a', 'failed')], [a], 5_000);
    expect(table.get('a')).toMatchObject({ failures: 2, retryAt: 15_000 });
    for (let i = 0; i < 10; i += 1) table = recordOutcomes(table, [outcome('a', 'failed')], [a], 0);
    expect(table.get('a')!.retryAt).toBe(300_000);
    expect(recordOutcomes(table, [outcome('a', 'succeeded')], [a], 0).has('a')).toBe(false);
  });

  it('parks a terminal failure until the action changes or leaves the plan', () => {
    const broken = respawnOf('a', '/no/such/shell');
    const terminal = { ...outcome('a', 'failed'), terminal: true };
    let table = recordOutcomes(new Map(), [terminal], [broken], 0);
    expect(isBackedOff(table, broken, Number.MAX_SAFE_INTEGER)).toBe(true); // never by time
    expect(isBackedOff(table, respawnOf('a', '/bin/sh'), 0)).toBe(false); // the entry was fixed
    table = recordOutcomes(table, [], [broken], 10);
    expect(isBackedOff(table, broken, 10)).toBe(true); // planned again as it was: still parked
    table = recordOutcomes(table, [], [], 20); // blocked or converged: released
    expect(table.has('a')).toBe(false);
    expect(isBackedOff(table, broken, 20)).toBe(false);
  });
});

describe('crash loop and safe mode', () => {
  it('counts crashes within the last 60 s and knows a shell from another command', () => {
    const at = (ms: number) => ({
      detectedAt: new Date(ms).toISOString(),
      reason: 'r',
      previousPid: 1,
    });
    expect(crashesInWindow([at(0), at(30_000), at(70_000), at(100_000)], 100_000)).toBe(2);
    expect(isShellCommand(['/bin/bash', '-l'])).toBe(true);
    expect(isShellCommand(['-zsh'])).toBe(true);
    expect(isShellCommand(['node', 'server.js'])).toBe(false);
    expect(isShellCommand([])).toBe(false);
    // A shell running a script or a command line is that program: safe mode does not rerun it.
    expect(isShellCommand(['/bin/sh', '-c', 'cd api && npm run dev'])).toBe(false);
    expect(isShellCommand(['bash', '-lc', 'make'])).toBe(false);
    expect(isShellCommand(['sh', 'deploy.sh'])).toBe(false);
  });

  it('logs what the loop does after LIVE, one timestamped line each', () => {
    const done = { ...INITIAL_BANNER, done: true };
    const line = (event: ReturnType<typeof anEvent>) => logRenderer.render(event, done, done);
    expect(
      line(
        anEvent('recovery.session.restored', {
          sessionId: 's',
          sessionName: 'helios-s',
          status: 'respawned',
        }),
      ),
    ).toBe('[2026-11-24T10:00:00.000Z] respawned helios-s\n');
    expect(
      line(
        anEvent('recovery.orphan.terminated', {
          key: 'k',
          target: 'pid 9',
          how: 'terminated with SIGHUP',
        }),
      ),
    ).toContain('terminated pid 9 (terminated with SIGHUP)');
    expect(
      line(anEvent('recovery.safemode.entered', { reason: '3 crashes within 60 s', crashes: 3 })),
    ).toContain('SAFE MODE: 3 crashes within 60 s');
    expect(
      line(anEvent('recovery.plan.computed', { actions: 1, blocked: 0, sessionsTotal: 1 })),
    ).toBe('');
  });
});
