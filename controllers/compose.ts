import type { Subscription } from 'rxjs';
import type { Plan } from '../specs/plan.js';
import type { ActiveStage, RecoveryEvent } from '../specs/events.js';
import { attachAuditLog } from './audit-log.js';
import { createEventBus } from './event-bus.js';
import { recover } from './recover.js';
import type { RunReport } from './run-report.js';
import {
  takeCheckpoint,
  type CheckpointOptions,
  type CheckpointResult,
} from './take-checkpoint.js';
import { previewPlan, type PlanPreview } from './preview-plan.js';
import { readStatus, type WorkspaceStatus } from './read-status.js';
import {
  type BackendChoice,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_WORKSPACE,
  resolveStateDir,
  type WorkspaceConfig,
} from './workspace-config.js';

/** What a caller (the CLI, the demo, a host app) says about the workspace to act on. */
export interface WorkspaceOptions {
  readonly workspace?: string | undefined;
  readonly stateDir?: string | undefined;
  readonly backend?: BackendChoice | undefined;
  /** tmux socket name (`-L`). */
  readonly tmuxSocket?: string | undefined;
  /** tmux socket path (`-S`). */
  readonly tmuxSocketPath?: string | undefined;
  readonly zellijCommand?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

const WORKSPACE_ID = /^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,127}$/;

/** Builds the configuration; throws a one-line error for invalid options (boundary check). */
export function configure(
  options: WorkspaceOptions,
  env: NodeJS.ProcessEnv = process.env,
): WorkspaceConfig {
  const workspaceId = options.workspace ?? DEFAULT_WORKSPACE;
  if (!WORKSPACE_ID.test(workspaceId)) {
    throw new Error(`invalid workspace id "${workspaceId}": letters, digits and _ . @ + - only`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new Error(`invalid timeout ${String(options.timeoutMs)}`);
  return {
    workspaceId,
    stateDir: resolveStateDir(workspaceId, env, options.stateDir),
    backend: options.backend ?? 'auto',
    tmux: { socketName: options.tmuxSocket, socketPath: options.tmuxSocketPath },
    zellij: { command: options.zellijCommand, env },
    timeoutMs,
  };
}

export interface RecoverRun {
  readonly plan?: Plan | undefined;
  readonly command?: string;
  /** Receives every event as it happens (the banner subscribes here). */
  readonly onEvents?: (events$: import('rxjs').Observable<RecoveryEvent>) => Subscription;
  readonly pauseAt?: ActiveStage | undefined;
  readonly onPause?: (stage: ActiveStage) => Promise<void>;
  readonly signal?: AbortSignal;
}

/**
 * The one composition point: a one-shot recovery with its event bus, audit log and the caller's
 * subscribers wired together. Subscriptions end when the run ends.
 */
export async function runRecovery(
  config: WorkspaceConfig,
  run: RecoverRun = {},
): Promise<RunReport> {
  const bus = createEventBus();
  const subscriptions: Subscription[] = [];
  if (run.onEvents) subscriptions.push(run.onEvents(bus.events$));
  subscriptions.push(await attachAuditLog(config.stateDir, bus.events$));
  try {
    return await recover(
      { config, bus },
      { plan: run.plan, command: run.command, pauseAt: run.pauseAt, onPause: run.onPause },
      run.signal,
    );
  } finally {
    bus.complete();
    for (const subscription of subscriptions) subscription.unsubscribe();
  }
}

export function runCheckpoint(
  config: WorkspaceConfig,
  options: CheckpointOptions = {},
): Promise<CheckpointResult> {
  return takeCheckpoint(config, options);
}

export function runPlan(config: WorkspaceConfig, signal?: AbortSignal): Promise<PlanPreview> {
  return previewPlan(config, Date.now, signal);
}

export function runStatus(config: WorkspaceConfig): Promise<WorkspaceStatus> {
  return readStatus(config);
}
