import { describe, expect, it } from 'vitest';
import { renderPlanText } from '../../../banner/render-plan.js';
import { renderStatusText } from '../../../banner/render-status.js';
import { decodePlanFile } from '../../../specs/plan-file.js';
import { parseShowEnvironment } from '../../../observers/capture-tmux-sessions.js';
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
      /^helios-recover: invalid --backend "screen": expected tmux, zellij or auto\n/,
    );
    expect((await runCli(['plan', '--timeout', 'soon'])).err).toMatch(
      /^helios-recover: invalid --timeout "soon"/,
    );
    expect((await runCli(['status', 'extra'])).err).toMatch(
      /^helios-recover: Unexpected argument 'extra'|^helios-recover: unexpected argument/,
    );
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
      lastCrash: null,
      crashesRecorded: 0,
    });
    expect(text).toContain('Lock:        stale: lock file is unreadable');
    expect(text).toContain('Checkpoint:  none usable (no checkpoint in /s)');
    expect(parseShowEnvironment('A=1\n-B\nC=x=y\n')).toEqual({ A: '1', C: 'x=y' });
  });
});
