import { loadNewestCheckpoint } from '../specs/checkpoint-store.js';
import type { RecoveryStage } from '../specs/events.js';
import { type CrashRecord, readCrashHistory, readLastCrash } from './crash-records.js';
import { readRecoveryState } from './recovery-state-store.js';
import { readSafeMode, type SafeModeRecord } from './safe-mode.js';
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
  readonly lastCrash: CrashRecord | null;
  readonly crashesRecorded: number;
  readonly safeMode: SafeModeRecord | null;
}

export async function readStatus(
  config: WorkspaceConfig,
  now: () => number = Date.now,
): Promise<WorkspaceStatus> {
  const [lock, state, loaded, lastCrash, history, safeMode] = await Promise.all([
    inspectLock(config.stateDir, now()),
    readRecoveryState(config.stateDir),
    loadNewestCheckpoint(config.stateDir),
    readLastCrash(config.stateDir),
    readCrashHistory(config.stateDir),
    readSafeMode(config.stateDir),
  ]);
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
    lastCrash,
    crashesRecorded: history.length,
    safeMode,
  };
}
