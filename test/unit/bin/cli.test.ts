import { describe, expect, it } from 'vitest';
import { renderPlanText } from '../../../banner/render-plan.js';
import { renderStatusText } from '../../../banner/render-status.js';
import { decodePlanFile } from '../../../specs/plan-file.js';
import { parseShowEnvironment } from '../../../clients/capture-tmux-sessions.js';
import { runCli } from '../../support/sandbox.js';
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
      suggestion: 'Recreate /work/s3.',
    },
  ],
  unavailable: ['zellij sessions: timed out'],
};

describe('CLI', () => {
  it('prints usage and per-command help', async () => {
    expect((await runCli(['--help'])).out).toMatch(/^Usage: helios-recover <command>/);
    expect((await runCli([])).code).toBe(1);
    for (const command of ['checkpoint', 'plan', 'recover', 'status']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.out).toMatch(new RegExp(`^Usage: helios-recover ${command}`));
      expect(help.out).toContain('--state-dir DIR');
    }
  });

  it('rejects unknown commands, options and values with one line and exit 1', async () => {
    expect(await runCli(['frobnicate'])).toMatchObject({
      code: 1,
      err: 'helios-recover: unknown command "frobnicate" (try `helios-recover --help`)\n',
    });
    expect((await runCli(['plan', '--backend', 'screen'])).err).toMatch(
      /^helios-recover: invalid --backend "screen": expected tmux, zellij or auto \(see `helios-recover plan --help`\)\n$/,
    );
    expect((await runCli(['plan', '--timeout', 'soon'])).err).toMatch(
      /^helios-recover: invalid --timeout "soon"/,
    );
    expect((await runCli(['status', 'extra'])).err).toMatch(
      /^helios-recover: Unexpected argument 'extra'|^helios-recover: unexpected argument/,
    );
    // Mistypes get a suggestion; every error stays one line.
    expect(await runCli(['recvoer'])).toMatchObject({
      code: 1,
      err: 'helios-recover: unknown command "recvoer" (did you mean "recover"?) (try `helios-recover --help`)\n',
    });
    const option = await runCli(['recover', '--tmeout', '5']);
    expect(option.code).toBe(1);
    expect(option.err).toBe(
      'helios-recover: Unknown option \'--tmeout\' (did you mean "--timeout"?) (see `helios-recover recover --help`)\n',
    );
    for (const args of [
      ['recover', '--plan'],
      ['recover', '--plan', '--json'],
    ])
      expect((await runCli(args)).err).toBe(
        'helios-recover: option --plan needs a value (see `helios-recover recover --help`)\n',
      );
    const version = await runCli(['--version']);
    expect(version).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^helios-recover \d+\.\d+\.\d+\n$/),
    });
  });

  it('accepts global options before the command', async () => {
    const result = await runCli([
      '--workspace',
      'ws-x',
      '--state-dir',
      '/nonexistent/helios',
      'status',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({
      workspaceId: 'ws-x',
      stateDir: '/nonexistent/helios',
      stage: null,
      lock: { state: 'free' },
    });
  });
});

describe('plan rendering and plan files', () => {
  it('renders one line per action with glyph, key and reason, then a count line', () => {
    expect(renderPlanText(aPlan)).toBe(
      [
        'Recovery plan for workspace ws (checkpoint generation 3):',
        '  ~ reattach    session:s1           helios-s1 (tmux) in /work/s1  [session_survived]',
        '  = reinventory lane:lane-a          /repo/.helios-worktrees/lane-a  [lane_present]',
        '  + respawn     session:s2           helios-s2 (zellij) in /work/s2  [no_live_session]',
        '  ! fail        session:s3           directory /work/s3 no longer exists  [cwd_missing]',
        '      → Recreate /work/s3.',
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
          suggestion: 'Run it to see why.',
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
    expect(text).toContain('    → Run it to see why.');
    expect(text).toContain('Review:      2 pending (`helios-recover orphans`)');
    expect(text).toContain('Checkpoint:  none usable (no checkpoint in /s)');
    expect(text).toContain(
      'Safe mode:   ON since 2026-11-24T10:00:00.000Z (3 crashes within 60 s)',
    );
    expect(parseShowEnvironment('A=1\n-B\nC=x=y\n')).toEqual({ A: '1', C: 'x=y' });
  });
});

describe('safe mode and fault injection at the CLI', () => {
  it('reports and leaves safe mode', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/helios-safe-');
    const cli = ['--workspace', 'test-safe', '--state-dir', dir];
    expect((await runCli(['safe-mode', ...cli])).out).toBe('Safe mode is off.\n');
    expect((await runCli(['safe-mode', 'exit', ...cli])).out).toContain('nothing to do');
    writeFileSync(
      `${dir}/safe-mode.json`,
      JSON.stringify({
        enteredAt: '2026-11-24T10:00:00.000Z',
        reason: '3 crashes within 60 s',
        crashes: 3,
      }),
    );
    expect((await runCli(['safe-mode', 'status', ...cli])).out).toBe(
      'Safe mode since 2026-11-24T10:00:00.000Z: 3 crashes within 60 s.\n',
    );
    expect((await runCli(['safe-mode', 'exit', ...cli])).out).toContain('Safe mode exited');
    expect((await runCli(['safe-mode', 'frob', ...cli])).err).toMatch(
      /unknown safe-mode command "frob"/,
    );
  });

  it('validates HELIOS_TEST_PAUSE_AT and pauses for the given time', async () => {
    const { mkdtempSync } = await import('node:fs');
    const cli = ['--workspace', 'test-pause', '--state-dir', mkdtempSync('/tmp/helios-pause-')];
    process.env.HELIOS_TEST_PAUSE_AT = 'SOMEWHERE';
    expect((await runCli(['recover', ...cli])).err).toMatch(
      /invalid HELIOS_TEST_PAUSE_AT "SOMEWHERE"/,
    );
    process.env.HELIOS_TEST_PAUSE_AT = 'DETECTING:20';
    const paused = await runCli(['recover', ...cli]);
    expect(paused.err).toContain('pausing 20 ms at DETECTING');
    expect(paused.code).toBe(1); // then fails honestly: there is no checkpoint
    delete process.env.HELIOS_TEST_PAUSE_AT;
  });

  it('rejects bad run and session options', async () => {
    expect((await runCli(['run', '--interval', 'fast'])).err).toMatch(/invalid --interval "fast"/);
    expect((await runCli(['session'])).err).toMatch(/session needs open, close or list/);
    expect((await runCli(['session', 'open'])).err).toMatch(/session open needs --cwd DIR/);
    expect((await runCli(['session', 'open', '--cwd', '/tmp', '--env', 'NOEQUALS'])).err).toMatch(
      /invalid --env "NOEQUALS"/,
    );
    expect((await runCli(['session', 'close'])).err).toMatch(/session close needs a session ID/);
    for (const command of ['run', 'session', 'safe-mode', 'orphans'])
      expect((await runCli([command, '--help'])).code).toBe(0);
  });
});
