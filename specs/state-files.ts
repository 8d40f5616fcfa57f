import { z } from 'zod';
import { RECOVERY_STAGES } from './events.js';
import { OutcomeSpec } from './outcome.js';
import { StoredRemedy } from './remedies.js';
import { ReviewIdentity } from './review-identity.js';

/**
 * The small JSON files of the state dir, one zod definition each: `store/` reads every one of
 * them through its schema (a torn, foreign or hand-edited file is refused, never trusted), and
 * the TypeScript types are inferred from the same definitions.
 */
const Pid = z.number().int().positive();
const Timestamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'not a timestamp');

/** Who holds the workspace: pid fenced by its start time, and a heartbeat. */
export const LockRecordSpec = z.object({
  pid: Pid,
  startTime: z.number().int().nonnegative(),
  heartbeatAt: Timestamp,
  command: z.string(),
});
export type LockRecord = Readonly<z.infer<typeof LockRecordSpec>>;

/** One detected crash of the previous holder. */
export const CrashRecordSpec = z.object({
  detectedAt: Timestamp,
  reason: z.string(),
  previousPid: Pid.nullable(),
});
export type CrashRecord = Readonly<z.infer<typeof CrashRecordSpec>>;
export const CrashHistorySpec = z.array(CrashRecordSpec);

/** Crash-loop safe mode: respawns run the user's shell until it is left. */
export const SafeModeRecordSpec = z.object({
  enteredAt: Timestamp,
  reason: z.string(),
  crashes: z.number().int().nonnegative(),
});
export type SafeModeRecord = Readonly<z.infer<typeof SafeModeRecordSpec>>;

const Stage = z.union([
  z.enum(RECOVERY_STAGES),
  z.enum(['DETECTING_FAILED', 'INVENTORYING_FAILED', 'RESTORING_FAILED', 'RECONCILING_FAILED']),
]);

/** The persisted state of a one-shot recovery: enough to resume after a crash mid-way. */
export const RecoveryStateSpec = z.object({
  version: z.literal(1),
  runId: z.string(),
  workspaceId: z.string(),
  incarnation: z.string().min(1),
  stage: Stage,
  attempt: z.number().int().positive(),
  checkpointGeneration: z.number().int().nonnegative().nullable(),
  /** Outcomes so far, by key: the plan cursor. Kept across a resume for the summary. */
  outcomes: z.array(OutcomeSpec),
  failureReason: z.string().nullable(),
  /** What the operator can do about the failed stage (absent: nothing to say). */
  failureRemedy: StoredRemedy,
  startedAt: Timestamp,
  updatedAt: Timestamp,
});
export type RecoveryState = Readonly<z.infer<typeof RecoveryStateSpec>>;

/** A lane this controller inventoried, bound to its incarnation. */
export const LaneBindingSpec = z.object({
  laneId: z.string().min(1),
  incarnation: z.string().min(1),
  worktreePath: z.string().startsWith('/'),
  branch: z.string().min(1),
});
export type LaneBinding = Readonly<z.infer<typeof LaneBindingSpec>>;

/** A zellij session this controller adopted, fenced by its server's pid and start time. */
export const ZellijBindingSpec = z.object({
  name: z.string().min(1),
  workspaceId: z.string().min(1),
  /** Bindings live in the state dir, so they name the instance that wrote them. */
  instanceId: z.string().optional(),
  sessionId: z.string().min(1),
  incarnation: z.string().min(1),
  serverPid: Pid,
  serverStartTime: z.number().int().nonnegative(),
});
export type ZellijBinding = Readonly<z.infer<typeof ZellijBindingSpec>>;

/** An item waiting for the operator in `review.json`. */
export const ReviewRecordSpec = z.object({
  id: z.string().min(1),
  key: z.string().min(1),
  subject: z.enum(['process', 'session', 'lane']),
  reason: z.string(),
  detail: z.string(),
  status: z.enum(['pending', 'dismissed']),
  flaggedAt: Timestamp,
  /** What the operator was shown (sessions, lanes); absent in files written before identities
   * were recorded, and for processes, whose key is their identity. */
  identity: ReviewIdentity.optional(),
  /** What the operator can do about it besides approve and dismiss (a newer code: dropped). */
  remedy: StoredRemedy,
});
export type ReviewRecord = Readonly<z.infer<typeof ReviewRecordSpec>>;
export const ReviewFileSpec = z.object({ items: z.array(ReviewRecordSpec) });

const ServerSpec = z.object({
  pid: z.number().int().positive(),
  startTime: z.number().int().nonnegative(),
});
/** The multiplexer servers the newest checkpoint saw (`checkpoint-servers.json`). */
export const CheckpointServersSpec = z.object({
  generation: z.number().int().nonnegative(),
  tmux: ServerSpec.optional(),
  /** Entries of that checkpoint kept while not running (lost with a server): `mux:name`. */
  lost: z.array(z.string()).default([]),
});
export type CheckpointServers = Readonly<z.input<typeof CheckpointServersSpec>>;
