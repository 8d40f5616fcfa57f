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
