import type { Remedy } from './remedies.js';

/** Recovery stages of the one-shot controller, in order; `<STAGE>_FAILED` are terminal. */
/** Wave 4's result: one shape for the event, the run report, the banner and the facade. */
export interface CleanupCounts {
  readonly terminated: number;
  readonly removed: number;
  readonly reviewPending: number;
  /** Observations that were unavailable: cleanup was blind and terminated/removed nothing. */
  readonly held?: readonly string[] | undefined;
}

export const RECOVERY_STAGES = [
  'DETECTING',
  'INVENTORYING',
  'RESTORING',
  'RECONCILING',
  'LIVE',
] as const;
export type ActiveStage = (typeof RECOVERY_STAGES)[number];
export type FailedStage = `${Exclude<ActiveStage, 'LIVE'>}_FAILED`;
export type RecoveryStage = ActiveStage | FailedStage;

/** Payload of each topic. Topics are dotted; payloads are plain data. */
export interface EventPayloads {
  'recovery.crash.detected': { reason: string; previousPid: number | null };
  'recovery.stage.changed': {
    from: RecoveryStage | null;
    to: RecoveryStage;
    attempt: number;
    /** Why a stage failed or was resumed. */
    reason?: string;
    /** What the operator can do about a failed stage, when something can be done. */
    remedy?: Remedy | undefined;
  };
  'recovery.checkpoint.loaded': {
    generation: number;
    source: string;
    sessions: number;
    corrupt: number;
    checkpointsFound: number;
    warnings: string[];
  };
  /** An autosave (the host's CheckpointScheduler): written, unchanged, skipped or failed. */
  'recovery.checkpoint.saved': {
    status: 'written' | 'unchanged' | 'skipped' | 'failed';
    generation: number | null;
    sessions: number | null;
    reason?: string;
  };
  'recovery.plan.computed': { actions: number; blocked: number; sessionsTotal: number };
  'recovery.session.restored': {
    sessionId: string;
    sessionName: string;
    /** `repaired`: a live session got back the panes it lacked. */
    status: 'reattached' | 'respawned' | 'repaired';
    /** Windows and panes recreated, for a session of more than one pane. */
    shape?: { windows: number; panes: number } | undefined;
    /** Saved programs that came back as their pane's shell, each with where and why. */
    notRestarted?: readonly string[] | undefined;
    notes?: readonly string[] | undefined;
  };
  'recovery.session.failed': {
    sessionId: string;
    sessionName: string;
    reason: string;
    message: string;
    remedy?: Remedy | undefined;
  };
  'recovery.lane.reinventoried': { laneId: string; worktreePath: string; branch: string | null };
  'recovery.lane.failed': {
    laneId: string;
    reason: string;
    message: string;
    remedy?: Remedy | undefined;
  };
  /** A state file could not be written (full, read-only): recovery went on, destroying nothing. */
  'recovery.state.unsaved': { reason: string };
  'recovery.safemode.entered': { reason: string; crashes: number };
  'recovery.safemode.exited': { reason: string };
  'recovery.orphan.flagged': { reviewId: string; key: string; reason: string; detail: string };
  'recovery.orphan.terminated': { key: string; target: string; how: string };
  'recovery.orphans.cleaned': CleanupCounts;
  'recovery.completed': {
    stage: RecoveryStage;
    restored: number;
    failed: number;
    withIssues: boolean;
    durationMs: number;
  };
}

export type Topic = keyof EventPayloads;

/** The event envelope (docs/ARCHITECTURE.md, "Events"). */
export type RecoveryEvent = {
  [T in Topic]: {
    readonly id: string;
    readonly type: 'event';
    /** RFC 3339 timestamp. */
    readonly ts: string;
    readonly topic: T;
    readonly payload: EventPayloads[T];
  };
}[Topic];

/** How many past events a facade's `events$` replays to a late subscriber: bounded, because a
 * host keeps its facades for its whole life and they emit on every restore, scan and save. */
export const REPLAYED_EVENTS = 10_000;
