import { sessionIdOfKey } from '../specs/resource-keys.js';
import { loadNewestCheckpoint } from '../store/checkpoint-store.js';
import { observeReview } from '../store/review-file.js';
import { readCrashHistory, readLastCrash } from '../store/recovery-files.js';
import { readRecoveryState } from '../store/recovery-files.js';
import { readSafeMode } from '../store/recovery-files.js';
import type { WorkspaceConfig } from './workspace-config.js';
import type { LastRunSession, WorkspaceStatus } from '../specs/reports.js';
import { inspectLock } from './workspace-lock.js';

export async function readStatus(
  config: WorkspaceConfig,
  now: () => number = Date.now,
): Promise<WorkspaceStatus> {
  const [lock, state, loaded, lastCrash, history, safeMode, review] = await Promise.all([
    inspectLock(config.stateDir, now()),
    readRecoveryState(config.stateDir),
    loadNewestCheckpoint(config.stateDir),
    readLastCrash(config.stateDir),
    readCrashHistory(config.stateDir),
    readSafeMode(config.stateDir),
    observeReview(config.stateDir),
  ]);
  const names = new Map(
    loaded.ok ? loaded.desired.sessions.map((s) => [s.sessionId, s.sessionName]) : [],
  );
  const lastRun: LastRunSession[] = (state?.outcomes ?? []).flatMap((outcome) => {
    const sessionId = sessionIdOfKey(outcome.key);
    if (sessionId === null) return [];
    return [
      {
        sessionId,
        sessionName: names.get(sessionId) ?? sessionId,
        status:
          outcome.status === 'succeeded'
            ? (outcome.restoredAs ?? (outcome.kind === 'reattach' ? 'reattached' : 'respawned'))
            : outcome.status,
        reason: outcome.reason,
        message: outcome.message,
        remedy: outcome.remedy,
      },
    ];
  });
  return {
    workspaceId: config.workspaceId,
    stateDir: config.stateDir,
    lock,
    stage: state?.stage ?? null,
    incarnation: state?.incarnation ?? null,
    failureReason: state?.failureReason ?? null,
    failureRemedy: state?.failureRemedy,
    lastRecoveryAt: state?.updatedAt ?? null,
    checkpoint: loaded.ok
      ? {
          file: loaded.file,
          generation: loaded.desired.generation,
          createdAt: loaded.desired.createdAt,
          sessions: loaded.desired.sessions.length,
          lanes: loaded.desired.lanes.length,
          corrupt: loaded.desired.corrupt.length,
        }
      : { error: loaded.reason },
    lastRun,
    reviewPending:
      review.status === 'ok'
        ? review.items.filter((item) => item.status === 'pending').length
        : null,
    lastCrash,
    crashesRecorded: history.length,
    safeMode,
  };
}
