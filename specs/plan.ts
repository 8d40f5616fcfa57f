import type { LaneEntrySpec, Multiplexer, SessionEntrySpec } from './checkpoint-spec.js';

/** Reason codes explain an action or a failure; they never decide anything. */
export type ReasonCode =
  | 'session_survived'
  | 'no_live_session'
  | 'lane_present'
  | 'lane_missing'
  | 'checkpoint_corrupt'
  | 'cwd_missing'
  | 'observation_unavailable'
  | 'name_in_use'
  | 'name_taken'
  | 'reattach_failed'
  | 'respawn_failed'
  | 'reinventory_failed'
  | 'orphan_owned'
  | 'orphan_unproven'
  | 'stale_session_owned'
  | 'lane_abandoned'
  | 'temp_file_stale';

/** Plan waves in their fixed order; wave 4 cleans up what the crash left behind. */
export const WAVES = {
  reattach: 1,
  reinventory: 2,
  respawn: 3,
  terminate: 4,
  remove: 4,
  flag: 4,
} as const;
export type ActionKind = keyof typeof WAVES;

interface ActionBase {
  /** Pairing key of the resource, e.g. `session:s1`, `lane:lane-a`. */
  readonly key: string;
  readonly wave: number;
  readonly reason: ReasonCode;
}

/** The session survived: bind it to this incarnation (no new process). */
export interface ReattachAction extends ActionBase {
  readonly kind: 'reattach';
  readonly backend: Multiplexer;
  readonly session: SessionEntrySpec;
}

/** The lane's worktree is present: verify it and record it in the inventory. */
export interface ReinventoryAction extends ActionBase {
  readonly kind: 'reinventory';
  readonly lane: LaneEntrySpec;
}

/** No live session: create it in the checkpoint cwd with env, shell and scrollback. */
export interface RespawnAction extends ActionBase {
  readonly kind: 'respawn';
  readonly backend: Multiplexer;
  readonly session: SessionEntrySpec;
  /** zellij keeps an EXITED session of that name that must be deleted first. */
  readonly replacesExited: boolean;
}

/** What a terminate acts on: a process fenced by its start time, or a whole stale session. */
export type TerminateTarget =
  | {
      readonly type: 'process';
      readonly pid: number;
      readonly startTime: number;
      readonly pgid: number;
      /** SIGHUP for shells (as a closing terminal would), SIGTERM otherwise; SIGKILL after 3 s. */
      readonly signal: 'SIGHUP' | 'SIGTERM';
      readonly label: string;
    }
  | { readonly type: 'session'; readonly backend: Multiplexer; readonly name: string };

/** An owned orphan: proven ours (marker of this workspace) and part of no live session. */
export interface TerminateAction extends ActionBase {
  readonly kind: 'terminate';
  readonly target: TerminateTarget;
}

/** A stale temp file in the state dir (older than 30 s, no live writer). */
export interface RemoveAction extends ActionBase {
  readonly kind: 'remove';
  readonly path: string;
}

/** NeedsReview: recorded in `review.json` for the operator, never touched. */
export interface FlagAction extends ActionBase {
  readonly kind: 'flag';
  readonly reviewId: string;
  readonly subject: 'process' | 'session' | 'lane';
  readonly detail: string;
}

export type CleanupAction = TerminateAction | RemoveAction | FlagAction;
export type Action = ReattachAction | ReinventoryAction | RespawnAction | CleanupAction;

/** Something the plan cannot do, with why and what the operator can do about it. */
export interface BlockedItem {
  readonly key: string;
  readonly subject: 'session' | 'lane';
  readonly id: string;
  /** Session name, worktree path ...: what the operator recognises. */
  readonly label: string;
  readonly reason: ReasonCode;
  readonly message: string;
  readonly suggestion: string;
}

export const PLAN_API_VERSION = 'helios.recovery/v1';

/** A plan is data: computed by diff/, rendered by banner/, applied by actions/. */
export interface Plan {
  readonly apiVersion: typeof PLAN_API_VERSION;
  readonly kind: 'RecoveryPlan';
  readonly workspaceId: string;
  readonly generation: number;
  /** The controller incarnation the plan binds resources to. */
  readonly incarnation: string;
  /** Fingerprint of the observed state the plan was computed from (stale-plan check). */
  readonly fingerprint: string;
  readonly actions: readonly Action[];
  readonly blocked: readonly BlockedItem[];
  /** Observers that could not see, with their reasons: the plan is incomplete there. */
  readonly unavailable: readonly string[];
}
