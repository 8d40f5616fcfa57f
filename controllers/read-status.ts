import { loadNewestCheckpoint } from '../store/checkpoint-store.js';
import { observeReview } from '../store/review-file.js';
import type { RecoveryStage } from '../specs/events.js';
import { readCrashHistory, readLastCrash } from '../store/crash-records.js';
import { readRecoveryState } from '../store/recovery-state-file.js';
import type { CrashRecord, SafeModeRecord } from '../specs/state-files.js';
import { readSafeMode } from '../store/safe-mode-file.js';
import type { WorkspaceConfig } from './workspace-config.js';
import { inspectLock, type LockState } from './workspace-lock.js';

/** What `helios-recover status` shows: read-only, from the state dir. */
export interface WorkspaceStatus {
  readonly workspaceId: string;
  readonly stateDir: string;
  readonly lock: LockState;
  readonly stage: RecoveryStage | null;
  readonly incarnation: string | null;
  readonly failureReason: string | null;
  readonly lastRecoveryAt: string | null;
  readonly checkpoint:
    | {
        readonly file: string;
        readonly generation: number;
        readonly createdAt: string;
        readonly sessions: number;
        readonly lanes: number;
        readonly corrupt: number;
      }
    | { readonly error: string };
  /** The last run's sessions: how each came back, or why it failed (from recovery-state.json). */
  readonly lastRun: readonly LastRunSession[];
  /** Review items waiting for `helios-recover orphans approve|dismiss`; null when unreadable. */
  readonly reviewPending: number | null;
  readonly lastCrash: CrashRecord | null;
  readonly crashesRecorded: number;
  readonly safeMode: SafeModeRecord | null;
}

export interface LastRunSession {
  readonly sessionId: string;
  readonly sessionName: string;
  readonly status: 'reattached' | 'respawned' | 'failed' | 'skipped';
  readonly reason: string;
  readonly message: string;
  readonly suggestion?: string | undefined;
}

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
  const lastRun: LastRunSession[] = (state?.outcomes ?? [])
    .filter((outcome) => outcome.key.startsWith('session:'))
    .map((outcome) => {
      const sessionId = outcome.key.slice('session:'.length);
      return {
        sessionId,
        sessionName: names.get(sessionId) ?? sessionId,
        status:
          outcome.status === 'succeeded'
            ? (outcome.restoredAs ?? (outcome.kind === 'reattach' ? 'reattached' : 'respawned'))
            : outcome.status,
        reason: outcome.reason,
        message: outcome.message,
        suggestion: outcome.suggestion,
      };
    });
  return {
    workspaceId: config.workspaceId,
    stateDir: config.stateDir,
    lock,
    stage: state?.stage ?? null,
    incarnation: state?.incarnation ?? null,
    failureReason: state?.failureReason ?? null,
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
