import { z } from 'zod';
import { LaneEntrySpec, Multiplexer, SessionEntrySpec } from './checkpoint-spec.js';
import { Remedy } from './remedies.js';
import { ReviewIdentity } from './review-identity.js';

/*
 * The plan, defined once: each zod schema below validates a saved plan (`recover --plan FILE`)
 * and its TypeScript type is inferred from it, so the two cannot drift apart.
 */

/** Reason codes explain an action or a failure; they never decide anything. */
export const ReasonCode = z.enum([
  'session_survived',
  'no_live_session',
  'lane_present',
  'lane_missing',
  'checkpoint_corrupt',
  'cwd_missing',
  'observation_unavailable',
  'name_in_use',
  'name_taken',
  'reattach_failed',
  'respawn_failed',
  'reinventory_failed',
  'orphan_owned',
  'orphan_unproven',
  'stale_session_owned',
  'lane_abandoned',
  'temp_file_stale',
  'review_approved',
  'panes_missing',
  'resurrected_waiting',
]);
export type ReasonCode = z.infer<typeof ReasonCode>;

/** Every kind of action, in the order executors of one wave run (and report) them. */
export const ACTION_KINDS = [
  'reattach',
  'reinventory',
  'respawn',
  'repair',
  'terminate',
  'remove',
  'flag',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** Plan waves in their fixed order; wave 4 cleans up what the crash left behind. */
export const WAVES = {
  reattach: 1,
  reinventory: 2,
  respawn: 3,
  repair: 3,
  terminate: 4,
  remove: 4,
  flag: 4,
} as const satisfies Record<ActionKind, number>;

const ActionBase = z.object({
  /** Pairing key of the resource (specs/resource-keys.ts), e.g. `session:s1`, `lane:lane-a`. */
  key: z.string().min(1),
  wave: z.number().int(),
  reason: ReasonCode,
});

/** An action on one checkpoint session, on the multiplexer it is planned for. */
const SessionActionBase = ActionBase.extend({ backend: Multiplexer, session: SessionEntrySpec });

/** The session survived: bind it to this incarnation (no new process). */
export const ReattachAction = SessionActionBase.extend({ kind: z.literal('reattach') }).readonly();
export type ReattachAction = z.infer<typeof ReattachAction>;

/** The lane's worktree is present: verify it and record it in the inventory. */
export const ReinventoryAction = ActionBase.extend({
  kind: z.literal('reinventory'),
  lane: LaneEntrySpec,
}).readonly();
export type ReinventoryAction = z.infer<typeof ReinventoryAction>;

/** No live session: create it in the checkpoint cwd with env, shell and scrollback. */
export const RespawnAction = SessionActionBase.extend({
  kind: z.literal('respawn'),
  /**
   * zellij keeps an EXITED session of that name, or one it resurrected whose panes wait to run:
   * it is replaced (killed if waiting, its saved layout kept, deleted) first.
   */
  replacesExited: z.boolean(),
}).readonly();
export type RespawnAction = z.infer<typeof RespawnAction>;

/** What a terminate acts on: a process fenced by its start time, or a whole stale session. */
export const TerminateTarget = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('process'),
      pid: z.number().int().positive(),
      startTime: z.number().int().nonnegative(),
      /** The group to signal as a whole (the pid itself), or -1: the process alone. */
      pgid: z.number().int(),
      /**
       * When the group is signalled, its live members as planned (all ledger entries of ours):
       * right before each signal the group is read again, and a member not listed here (a job
       * started since) makes the executor signal the recorded process alone.
       */
      group: z
        .array(z.object({ pid: z.number().int().positive(), startTime: z.number().int() }))
        .max(4096)
        .optional(),
      /** SIGHUP for shells (as a closing terminal would), SIGTERM otherwise; SIGKILL after 3 s. */
      signal: z.enum(['SIGHUP', 'SIGTERM']),
      label: z.string(),
    })
    .readonly(),
  z
    .object({ type: z.literal('session'), backend: Multiplexer, name: z.string().min(1) })
    .readonly(),
]);
export type TerminateTarget = z.infer<typeof TerminateTarget>;

/** An owned orphan: proven ours (in this instance's ledger) and part of no live session. */
export const TerminateAction = ActionBase.extend({
  kind: z.literal('terminate'),
  target: TerminateTarget,
}).readonly();
export type TerminateAction = z.infer<typeof TerminateAction>;

/**
 * What a remove deletes: a stale temp file of the state dir (older than 30 s, no live writer),
 * or, only when the operator approved its review item, an abandoned lane worktree: never one
 * with uncommitted changes; of its git-ignored files and of its files git status does not show
 * (skip-worktree, assume-unchanged) only those the review listed and the operator let go.
 */
export const RemoveAction = ActionBase.extend({
  kind: z.literal('remove'),
  path: z.string().regex(/^\//),
  target: z.enum(['temp-file', 'lane-worktree']).optional(),
  /** Lane: the git-ignored entries the operator agreed to lose (absent: none). */
  discardIgnored: z.array(z.string()).readonly().optional(),
  /** Lane: the skip-worktree and assume-unchanged files the operator agreed to lose. */
  discardHidden: z.array(z.string()).readonly().optional(),
  /** The review item whose approval this removal is (a refusal's remedy names it). */
  reviewId: z.string().optional(),
}).readonly();
export type RemoveAction = z.infer<typeof RemoveAction>;

/** NeedsReview: recorded in `review.json` for the operator, never touched. */
export const FlagAction = ActionBase.extend({
  kind: z.literal('flag'),
  reviewId: z.string().regex(/^r-[0-9a-f]{8}$/),
  subject: z.enum(['process', 'session', 'lane']),
  detail: z.string(),
  /** Which thing it is (sessions, lanes): approve acts only on the same thing. */
  identity: ReviewIdentity.optional(),
  /** What the operator can do besides approving or dismissing it, as data. */
  remedy: Remedy.optional(),
}).readonly();
export type FlagAction = z.infer<typeof FlagAction>;

/**
 * A live session of the checkpoint lacks windows or panes it saved: exactly those are made
 * again (whole windows with their layout), and the user's live panes are left as they are.
 */
export const RepairAction = SessionActionBase.extend({
  kind: z.literal('repair'),
  /** The checkpoint's panes to make again (by window index and pane index), in order. */
  missing: z
    .array(
      z.object({
        windowIndex: z.number().int().nonnegative(),
        paneIndex: z.number().int().nonnegative(),
      }),
    )
    .min(1)
    .readonly(),
}).readonly();
export type RepairAction = z.infer<typeof RepairAction>;

export const Action = z.discriminatedUnion('kind', [
  ReattachAction,
  ReinventoryAction,
  RespawnAction,
  RepairAction,
  TerminateAction,
  RemoveAction,
  FlagAction,
]);
export type Action = z.infer<typeof Action>;
export type CleanupAction = TerminateAction | RemoveAction | FlagAction;

/** Something the plan cannot do, with why and what the operator can do about it. */
export const BlockedItem = z
  .object({
    key: z.string(),
    subject: z.enum(['session', 'lane']),
    id: z.string(),
    /** Session name, worktree path ...: what the operator recognises. */
    label: z.string(),
    reason: ReasonCode,
    message: z.string(),
    /** What the operator can do about it, as data (views word it). */
    remedy: Remedy,
  })
  .readonly();
export type BlockedItem = z.infer<typeof BlockedItem>;

export const PLAN_API_VERSION = 'helios.recovery/v1';

/** A plan is data: computed by diff/, rendered by banner/, applied by actions/. */
export const Plan = z
  .object({
    apiVersion: z.literal(PLAN_API_VERSION),
    kind: z.literal('RecoveryPlan'),
    workspaceId: z.string().min(1),
    generation: z.number().int().nonnegative(),
    /** The controller incarnation the plan binds resources to. */
    incarnation: z.string().min(1),
    /** Fingerprint of the observed state the plan was computed from (stale-plan check). */
    fingerprint: z.string().min(1),
    actions: z.array(Action).readonly(),
    blocked: z.array(BlockedItem).readonly(),
    /** Observers that could not see, with their reasons: the plan is incomplete there. */
    unavailable: z.array(z.string()).readonly(),
  })
  .readonly();
export type Plan = z.infer<typeof Plan>;

/**
 * The one ordering rule of a plan: by wave (reattach 1, reinventory 2, respawn 3, cleanup 4),
 * then by key, so that the same inputs always give the same plan.
 */
export function compareActions(a: Action, b: Action): number {
  if (a.wave !== b.wave) return a.wave - b.wave;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Groups an action list into its waves, in order. */
export function groupByWave(actions: readonly Action[]): Action[][] {
  const waves = new Map<number, Action[]>();
  for (const action of [...actions].sort(compareActions)) {
    const wave = waves.get(action.wave) ?? [];
    wave.push(action);
    waves.set(action.wave, wave);
  }
  return [...waves.values()];
}
