import type { ActiveStage, FailedStage, RecoveryStage } from '../../specs/events.js';
import type { RecoveryState } from '../../specs/state-files.js';

/** Retries per stage and the time one attempt of a stage may take (docs/ARCHITECTURE.md, "A recovery"). */
export const MAX_STAGE_ATTEMPTS = 3;
export const STAGE_TIMEOUT_MS = 30_000;

export function isFailedStage(stage: RecoveryStage): stage is FailedStage {
  return stage.endsWith('_FAILED');
}

export function failedStageOf(stage: Exclude<ActiveStage, 'LIVE'>): FailedStage {
  return `${stage}_FAILED`;
}

export interface IncarnationDecision {
  readonly incarnation: string;
  /** Non-null when a recovery was interrupted: continue there, with its outcomes. */
  readonly resumeAt: ActiveStage | null;
  readonly reason: string;
}

/**
 * Which incarnation resources are bound to in this run. An interrupted recovery is resumed with
 * its incarnation (what it restored stays in sync: not restored twice). After a crash of the
 * holder, a new incarnation makes every survivor a reattach. Otherwise the current one is kept,
 * so a healthy workspace plans nothing.
 */
export function decideIncarnation(
  persisted: RecoveryState | null,
  crashDetected: boolean,
  mint: () => string,
): IncarnationDecision {
  if (persisted === null) return { incarnation: mint(), resumeAt: null, reason: 'first recovery' };
  const { stage } = persisted;
  if (stage !== 'LIVE' && !isFailedStage(stage)) {
    return {
      incarnation: persisted.incarnation,
      resumeAt: stage,
      reason: `resuming interrupted recovery at ${stage}`,
    };
  }
  if (isFailedStage(stage)) {
    return {
      incarnation: persisted.incarnation,
      resumeAt: null,
      reason: `retrying after ${stage}`,
    };
  }
  if (crashDetected) return { incarnation: mint(), resumeAt: null, reason: 'crash detected' };
  return {
    incarnation: persisted.incarnation,
    resumeAt: null,
    reason: 'workspace live, no crash detected',
  };
}

/** A fresh incarnation id: sortable by time, unique enough per workspace. */
export function mintIncarnation(now: number, random: () => number = Math.random): string {
  return `inc-${now.toString(36).padStart(9, '0')}-${Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0')}`;
}
