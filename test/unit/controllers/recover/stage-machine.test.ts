import { describe, expect, it } from 'vitest';
import {
  decideIncarnation,
  failedStageOf,
  isFailedStage,
  mintIncarnation,
} from '../../../../controllers/recover/stage-machine.js';
import type { RecoveryState } from '../../../../specs/state-files.js';

const persisted = (stage: RecoveryState['stage']): RecoveryState => ({
  version: 1,
  runId: 'r',
  workspaceId: 'ws',
  incarnation: 'inc-old',
  stage,
  attempt: 1,
  checkpointGeneration: 1,
  outcomes: [],
  failureReason: null,
  startedAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:00.000Z',
});
const mint = () => 'inc-new';

describe('recovery stage machine', () => {
  it('names the failure state of each stage', () => {
    expect(failedStageOf('RESTORING')).toBe('RESTORING_FAILED');
    expect(isFailedStage('RESTORING_FAILED')).toBe(true);
    expect(isFailedStage('LIVE')).toBe(false);
  });

  it('resumes an interrupted recovery at its stage with its incarnation', () => {
    expect(decideIncarnation(persisted('RESTORING'), true, mint)).toMatchObject({
      incarnation: 'inc-old',
      resumeAt: 'RESTORING',
    });
  });

  it('mints a new incarnation after a crash of a live workspace, keeps it otherwise', () => {
    expect(decideIncarnation(persisted('LIVE'), true, mint)).toMatchObject({
      incarnation: 'inc-new',
      resumeAt: null,
    });
    expect(decideIncarnation(persisted('LIVE'), false, mint)).toMatchObject({
      incarnation: 'inc-old',
      resumeAt: null,
    });
    expect(decideIncarnation(persisted('INVENTORYING_FAILED'), false, mint)).toMatchObject({
      incarnation: 'inc-old',
      resumeAt: null,
    });
    expect(decideIncarnation(null, false, mint)).toMatchObject({
      incarnation: 'inc-new',
      reason: 'first recovery',
    });
  });

  it('mints sortable, distinct incarnations', () => {
    expect(mintIncarnation(1000, () => 0)).toBe('inc-0000000rs-0000');
    expect(mintIncarnation(2000, () => 0.5) > mintIncarnation(1000, () => 0.5)).toBe(true);
  });
});
