import { describe, expect, it } from 'vitest';
import { transitionProblem } from '../../../controllers/host-stages.js';
import { RECOVERY_STAGES, type RecoveryStage } from '../../../specs/events.js';

const ALL: RecoveryStage[] = [
  ...RECOVERY_STAGES,
  ...RECOVERY_STAGES.filter((s) => s !== 'LIVE').map((s) => `${s}_FAILED` as RecoveryStage),
];

describe('transitionProblem: the moves of the stage machine', () => {
  it('goes forward one stage, retries the same, or fails it', () => {
    expect(transitionProblem('INVENTORYING', 'RESTORING')).toBeNull();
    expect(transitionProblem('RESTORING', 'LIVE')).toBeNull();
    expect(transitionProblem('RESTORING', 'RECONCILING')).toBeNull();
    expect(transitionProblem('RESTORING', 'RESTORING')).toBeNull();
    expect(transitionProblem('RESTORING', 'RESTORING_FAILED')).toBeNull();
    expect(transitionProblem('INVENTORYING', 'LIVE')).toMatch(/cannot move to LIVE/);
    expect(transitionProblem('RECONCILING', 'RESTORING_FAILED')).toMatch(/cannot move/);
  });

  it('starts a run only at DETECTING or INVENTORYING, from anywhere', () => {
    for (const from of [null, ...ALL]) {
      expect(transitionProblem(from, 'DETECTING')).toBeNull();
      if (from === null || from === 'LIVE' || from.endsWith('_FAILED')) {
        expect(transitionProblem(from, 'RESTORING')).toMatch(/a run starts at/);
        expect(transitionProblem(from, 'LIVE')).toMatch(/a run starts at/);
      }
    }
    expect(transitionProblem('DETECTING', 'DETECTING')).toBeNull(); // a retry of DETECTING
  });
});

describe('openStageMachine: one run from DETECTING to LIVE, and a resume', () => {
  it('keeps one incarnation and run from DETECTING on, and resumes an interrupted one', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { configure } = await import('../../../controllers/workspace-config.js');
    const { openStageMachine } = await import('../../../controllers/host-stages.js');
    const root = mkdtempSync(join(tmpdir(), 'helios-stages-'));
    try {
      const config = configure({ workspace: 'stages', stateDir: join(root, 'state') });
      const changes: unknown[] = [];
      const machine = await openStageMachine(config, (change) => changes.push(change));
      await machine.enter('DETECTING');
      const { incarnation } = machine;
      await machine.enter('INVENTORYING');
      await machine.enter('RESTORING');
      expect(machine.incarnation).toBe(incarnation);
      const next = await openStageMachine(config, () => undefined);
      expect(next.interruptedAt).toBe('RESTORING');
      await next.enter('INVENTORYING'); // started over: the interrupted run's incarnation
      expect(next.incarnation).toBe(incarnation);
      expect(next.interruptedAt).toBeNull();
      await next.enter('RESTORING');
      await next.enter('LIVE');
      await next.enter('INVENTORYING'); // a new run after LIVE: a new incarnation
      expect(next.incarnation).not.toBe(incarnation);
      expect(changes).toHaveLength(3);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
