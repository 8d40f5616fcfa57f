/**
 * helios-recover as a library. The seed facades for the host app (RestorationPipeline,
 * RecoveryBanner) plus the reconciler's building blocks.
 */
export { RestorationPipeline, type HostBus } from './facades/restoration-pipeline.js';
export { RecoverySupervisor, type SupervisorOpening } from './facades/recovery-supervisor.js';
export { RecoveryStageMachine, type StageMachineState } from './facades/recovery-stage-machine.js';
export {
  CheckpointScheduler,
  type AutosaveResult,
  type SchedulerOptions,
} from './facades/checkpoint-scheduler.js';
export {
  RecoveryBanner,
  type BannerOptions,
  type SummaryInput,
} from './facades/recovery-banner.js';
export { chooseRenderer } from './banner/choose-renderer.js';
export {
  configure,
  runRecovery,
  runCheckpoint,
  runPlan,
  runStatus,
  registerProcess,
  type WorkspaceOptions,
} from './controllers/compose.js';
export type { StartedProcess } from './controllers/register-process.js';
export type { LedgerEntry } from './specs/ledger.js';
export {
  OrphanReconciler,
  type ApproveOptions,
  type CleanupResult,
} from './facades/orphan-reconciler.js';
export { reconcile, type ReconcileRequest, type ReconcileResult } from './controllers/reconcile.js';
export type { World } from './controllers/world.js';
export { planRecovery, type RecoveryPolicy } from './diff/plan-recovery.js';
export {
  decodeCheckpoint,
  sealCheckpoint,
  type CheckpointDraft,
} from './specs/checkpoint-codec.js';
export { loadNewestCheckpoint, writeCheckpoint } from './store/checkpoint-store.js';
export { hostChecksum, toHostCheckpoint } from './specs/host-checkpoint.js';
export {
  readHostCheckpoint,
  writeHostCheckpoint,
  type HostCheckpointRead,
} from './store/host-checkpoint-file.js';
export {
  convertHeliosV1,
  HeliosV1CheckpointSpec,
  type HeliosV1CheckpointSpec as HeliosV1Checkpoint,
} from './specs/import-helios-v1.js';
export type {
  CheckpointSpec,
  LaneEntrySpec,
  Multiplexer,
  SessionEntrySpec,
} from './specs/checkpoint-spec.js';
export type { DesiredState } from './specs/desired-state.js';
export type { ActualState, Observation } from './specs/actual-state.js';
export type { Plan, Action, BlockedItem, ReasonCode } from './specs/plan.js';
export type { Outcome } from './specs/outcome.js';
export { Remedy, RefusedError, type RemedyCode } from './specs/remedies.js';
export type {
  ActiveStage,
  CleanupCounts,
  EventPayloads,
  RecoveryEvent,
  RecoveryStage,
  Topic,
} from './specs/events.js';
export { REPLAYED_EVENTS } from './specs/events.js';
export type {
  OrphanReport,
  RestorationResult,
  RestoredIdentity,
  RunReport,
  SessionResult,
  WorkspaceStatus,
} from './specs/reports.js';
