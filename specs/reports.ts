import type { RecoveryStage, CleanupCounts } from './events.js';
import type { Multiplexer } from './checkpoint-spec.js';
import type { ReviewRecord } from './orphans.js';
import type { Outcome } from './outcome.js';
import type { Remedy } from './remedies.js';
import type { FlagAction, Plan, RemoveAction, TerminateAction } from './plan.js';
import type { CrashRecord, LockRecord, SafeModeRecord } from './state-files.js';

/*
 * What a run, a status read, an orphan scan or a restoration reports: plain data, shared by the
 * controllers that build them, the banner that renders them and the facades that return them.
 */

export interface SkippedCheckpoint {
  readonly file: string;
  readonly reason: string;
}

/** Where one session of the checkpoint ended up after a run. */
export interface SessionResult {
  readonly sessionId: string;
  readonly sessionName: string;
  /** The host's terminal and lane of the session (null: a corrupt entry, or no lane). */
  readonly terminalId: string | null;
  readonly laneId: string | null;
  /** The multiplexer the session was restored (or asked) on; null for a corrupt entry. */
  readonly multiplexer: Multiplexer | null;
  /** in_sync: already live and bound, nothing to do; pending: planned but not applied. */
  readonly status: 'reattached' | 'respawned' | 'in_sync' | 'failed' | 'pending';
  readonly reason: string;
  readonly message: string;
  readonly remedy?: Remedy | undefined;
}

export interface CheckpointSummary {
  readonly file: string;
  readonly generation: number;
  /** Checkpoint files present (current + older generations). */
  readonly found: number;
  readonly skipped: readonly SkippedCheckpoint[];
  readonly warnings: readonly string[];
}

/** Always a report, even when a run partly fails. `withIssues` is derived, never set by hand. */
export interface RunReport {
  readonly workspaceId: string;
  readonly incarnation: string;
  readonly stage: RecoveryStage;
  readonly checkpoint: CheckpointSummary | null;
  readonly plan: Plan | null;
  readonly outcomes: readonly Outcome[];
  readonly sessions: readonly SessionResult[];
  readonly failureReason: string | null;
  /** What the operator can do about the failed stage, when something can be done. */
  readonly failureRemedy?: Remedy | undefined;
  /** Wave 4: orphans terminated, temp files removed, items pending review; null if not run. */
  readonly cleanup: CleanupCounts | null;
  /** Why the state dir could not be written this run (recovery went on), or null. */
  readonly stateUnsaved: string | null;
  readonly withIssues: boolean;
  readonly durationMs: number;
}

/** The facts a run's "with issues" is derived from. */
export interface IssueFacts {
  readonly stage: RecoveryStage;
  /** Sessions (or actions) that failed. */
  readonly failed: number;
  readonly cleanup: CleanupCounts | null | undefined;
  /** Observers that could not see. */
  readonly unavailable: readonly string[];
  readonly stateUnsaved: string | null;
}

/**
 * The one rule for "Recovery complete with issues": a run is clean only when it reached LIVE,
 * nothing failed, nothing waits for review, nothing was held back or unobserved, and its state
 * was saved. The run report and the RecoveryBanner facade both derive it here.
 */
export function hasIssues(facts: IssueFacts): boolean {
  return (
    facts.stage !== 'LIVE' ||
    facts.failed > 0 ||
    (facts.cleanup?.reviewPending ?? 0) > 0 ||
    (facts.cleanup?.held?.length ?? 0) > 0 ||
    facts.unavailable.length > 0 ||
    facts.stateUnsaved !== null
  );
}

/**
 * The workspace lock as read: `held` by a live holder with a fresh heartbeat; `stalled` when the
 * holder (same pid and start time) is alive but missed its heartbeat (stopped or hung): it still
 * holds the workspace; `stale` when the holder is gone, its pid reused, or the lock unreadable.
 */
export type LockState =
  | { readonly state: 'free' }
  | { readonly state: 'held'; readonly record: LockRecord }
  | { readonly state: 'stalled'; readonly record: LockRecord; readonly sinceHeartbeatMs: number }
  | { readonly state: 'stale'; readonly record: LockRecord | null; readonly reason: string };

/** Who holds the lock, for `status` and a refusal: "pid N (command)", and whether it stalled. */
export function lockHolderText(record: LockRecord, sinceHeartbeatMs: number | null): string {
  const holder = `pid ${record.pid} (${record.command})`;
  if (sinceHeartbeatMs === null) return holder;
  return `${holder}, stalled: no heartbeat for ${Math.round(sinceHeartbeatMs / 1000)} s (alive but stopped or hung; resume it with \`kill -CONT ${record.pid}\` or \`fg\`, or stop it)`;
}

/** What the status command shows: read-only, from the state dir. */
export interface WorkspaceStatus {
  readonly workspaceId: string;
  readonly stateDir: string;
  readonly lock: LockState;
  readonly stage: RecoveryStage | null;
  readonly incarnation: string | null;
  readonly failureReason: string | null;
  readonly failureRemedy?: Remedy | undefined;
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
  /** Review items waiting for the operator to approve or dismiss them; null when unreadable. */
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
  readonly remedy?: Remedy | undefined;
}

/** What a scan found: what may be cleaned, and what needs the operator. */
export interface OrphanReport {
  readonly safeToTerminate: readonly (TerminateAction | RemoveAction)[];
  /** New items to flag plus the items already pending in `review.json`. */
  readonly needsReview: readonly (FlagAction | ReviewRecord)[];
  readonly totalFound: number;
  /** Observations that were unavailable: while any is, nothing is safe to terminate or remove. */
  readonly held: readonly string[];
}

/** Who a restored or failed session is, for the host to rebind its terminals. */
export interface RestoredIdentity {
  readonly sessionId: string;
  readonly sessionName: string;
  readonly terminalId: string | null;
  readonly laneId: string | null;
  /** The multiplexer it was restored on (null: a corrupt entry, never started). */
  readonly multiplexer: Multiplexer | null;
}

export interface RestorationResult {
  readonly restored: readonly (RestoredIdentity & {
    readonly status: 'reattached' | 'respawned' | 'in_sync';
  })[];
  readonly failed: readonly (RestoredIdentity & {
    readonly reason: string;
    readonly message: string;
    /** What the host (or its operator) can do about it, as data: docs/REMEDIES.md. */
    readonly remedy?: Remedy | undefined;
  })[];
  /** Milliseconds. */
  readonly duration: number;
}
