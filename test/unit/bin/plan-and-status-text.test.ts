import { describe, expect, it } from 'vitest';
import { renderPlanText } from '../../../banner/render-plan.js';
import { renderStatusText } from '../../../banner/render-status.js';
import { decodePlanFile } from '../../../specs/plan-file.js';
import { parseShowEnvironment } from '../../../clients/capture-tmux-sessions.js';
import { aLane, aSession } from '../../support/builders.js';
import type { Plan } from '../../../specs/plan.js';

const SEALED = `sha256:${'0'.repeat(64)}`;
const aPlan: Plan = {
  apiVersion: 'helios.recovery/v1',
  kind: 'RecoveryPlan',
  workspaceId: 'ws',
  generation: 3,
  incarnation: 'inc-1',
  fingerprint: 'fp',
  actions: [
    {
      kind: 'reattach',
      key: 'session:s1',
      wave: 1,
      reason: 'session_survived',
      backend: 'tmux',
      session: aSession({ sessionId: 's1', checksum: SEALED }),
    },
    {
      kind: 'reinventory',
      key: 'lane:lane-a',
      wave: 2,
      reason: 'lane_present',
      lane: aLane({ laneId: 'lane-a', checksum: SEALED }),
    },
    {
      kind: 'respawn',
      key: 'session:s2',
      wave: 3,
      reason: 'no_live_session',
      backend: 'zellij',
      session: aSession({ sessionId: 's2', multiplexer: 'zellij', checksum: SEALED }),
      replacesExited: true,
    },
  ],
  blocked: [
    {
      key: 'session:s3',
      subject: 'session',
      id: 's3',
      label: 'helios-s3',
      reason: 'cwd_missing',
      message: 'directory /work/s3 no longer exists',
      remedy: { code: 'create_directory', path: '/work/s3', sessionName: 'helios-s3' },
    },
  ],
  unavailable: ['zellij sessions: timed out'],
};

describe('plan rendering and plan files', () => {
  it('renders one line per action with glyph, key and reason, then a count line', () => {
    expect(renderPlanText(aPlan)).toBe(
      [
        'Recovery plan for workspace ws (checkpoint generation 3):',
        '  ~ reattach    session:s1           helios-s1 (tmux) in /work/s1  [session_survived]',
        '  = reinventory lane:lane-a          /repo/.helios-worktrees/lane-a  [lane_present]',
        '  + respawn     session:s2           helios-s2 (zellij) in /work/s2  [no_live_session]',
        '  ! fail        session:s3           directory /work/s3 no longer exists  [cwd_missing]',
        '      → Recreate /work/s3 and run `helios-recover recover` again, or take a new checkpoint without helios-s3.',
        '  ? unavailable: zellij sessions: timed out',
        'Plan: 1 to reattach, 1 to reinventory, 1 to respawn, 1 cannot be restored.',
        '',
      ].join('\n'),
    );
  });

  it('round-trips the cleanup wave of a saved plan', () => {
    const cleanup: Plan = {
      ...aPlan,
      actions: [
        {
          kind: 'terminate',
          key: 'pid:9@1',
          wave: 4,
          reason: 'orphan_owned',
          target: {
            type: 'process',
            pid: 9,
            startTime: 1,
            pgid: 9,
            signal: 'SIGHUP',
            label: 'pid 9 (sh)',
          },
        },
        {
          kind: 'terminate',
          key: 'stale-session:tmux:x',
          wave: 4,
          reason: 'stale_session_owned',
          target: { type: 'session', backend: 'tmux', name: 'x' },
        },
        {
          kind: 'remove',
          key: 'tmp:/s/a.tmp',
          wave: 4,
          reason: 'temp_file_stale',
          path: '/s/a.tmp',
        },
        {
          kind: 'flag',
          key: 'lane-abandoned:/r/x',
          wave: 4,
          reason: 'lane_abandoned',
          reviewId: 'r-0123abcd',
          subject: 'lane',
          detail: 'd',
        },
      ],
    };
    expect(decodePlanFile(JSON.stringify(cleanup))).toEqual({ ok: true, plan: cleanup });
    expect(renderPlanText(cleanup)).toContain(
      'Cleanup: 2 to terminate, 1 to remove, 1 to flag for review.',
    );
  });

  it('round-trips a saved plan and refuses malformed ones', () => {
    expect(decodePlanFile(JSON.stringify(aPlan))).toEqual({ ok: true, plan: aPlan });
    expect(
      decodePlanFile(JSON.stringify({ ...aPlan, actions: [{ kind: 'explode' }] })),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not a recovery plan: actions\.0/),
    });
  });

  it('renders status and parses tmux environments', () => {
    const text = renderStatusText({
      workspaceId: 'ws',
      stateDir: '/s',
      lock: { state: 'stale', record: null, reason: 'lock file is unreadable' },
      stage: 'LIVE',
      incarnation: 'inc-1',
      failureReason: null,
      lastRecoveryAt: null,
      checkpoint: { error: 'no checkpoint in /s' },
      lastRun: [
        {
          sessionId: 'a',
          sessionName: 'helios-a',
          status: 'respawned',
          reason: 'no_live_session',
          message: 'created',
        },
        {
          sessionId: 'b',
          sessionName: 'helios-b',
          status: 'failed',
          reason: 'exited_immediately',
          message: '`/bin/false` exited within 300 ms of starting',
          remedy: {
            code: 'debug_shell_command',
            command: ['/bin/false'],
            workingDirectory: '/work/b',
          },
        },
      ],
      reviewPending: 2,
      lastCrash: null,
      crashesRecorded: 0,
      safeMode: {
        enteredAt: '2026-11-24T10:00:00.000Z',
        reason: '3 crashes within 60 s',
        crashes: 3,
      },
    });
    expect(text).toContain('Lock:        stale: lock file is unreadable');
    expect(text).toContain('Last run:    1 restored, 1 failed (of 2 acted on)');
    expect(text).toContain('  ✗ helios-b  exited_immediately: `/bin/false` exited within 300 ms');
    expect(text).toContain(
      "    → Run `/bin/false` in /work/b to see why it exits, fix the checkpoint's shellCommand, then run `helios-recover recover` again.",
    );
    expect(text).toContain('Review:      2 pending (`helios-recover orphans`)');
    expect(text).toContain('Checkpoint:  none usable (no checkpoint in /s)');
    expect(text).toContain(
      'Safe mode:   ON since 2026-11-24T10:00:00.000Z (3 crashes within 60 s)',
    );
    expect(parseShowEnvironment('A=1\n-B\nC=x=y\n')).toEqual({ A: '1', C: 'x=y' });
  });
});
