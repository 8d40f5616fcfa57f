import type { ControlResponse } from '../specs/control-protocol.js';
import type { CleanupCounts, RecoveryEvent } from '../specs/events.js';
import type { HostOpening } from './host-supervision.js';
import type { Outcome } from '../specs/outcome.js';
import type { Plan } from '../specs/plan.js';
import type { OrphanReport, WorkspaceStatus } from '../specs/reports.js';
import type { SafeModeRecord } from '../specs/state-files.js';
import type { PlanPreview } from './preview-plan.js';
import type { ImportRequest, ImportResult } from './import/run-import.js';
import type { CheckpointOptions, CheckpointResult } from './checkpoint/take-checkpoint.js';
import type { AutosaveOptions, AutosaveResult } from './checkpoint/autosave.js';
import type { WorkspaceConfig } from './workspace-config.js';
import type { StartedProcess } from './register-process.js';
import type { LedgerEntry } from '../specs/ledger.js';

/*
 * The composition root's single-step commands (re-exported by compose.ts, the only module bin/
 * imports): each loads its engine when called, so the CLI starts before zod and rxjs load.
 * Runs that wire an event bus, the audit log and subscribers are in compose.ts.
 */

export async function runCheckpoint(
  config: WorkspaceConfig,
  options: CheckpointOptions = {},
): Promise<CheckpointResult> {
  return (await import('./checkpoint/take-checkpoint.js')).takeCheckpoint(config, options);
}

/** A checkpoint by a timer or a hook (`checkpoint --autosave`): controllers/checkpoint/autosave.ts. */
export async function runAutosave(
  config: WorkspaceConfig,
  options: AutosaveOptions = {},
): Promise<AutosaveResult> {
  return (await import('./checkpoint/autosave.js')).autosaveCheckpoint(config, options);
}

export async function runPlan(config: WorkspaceConfig, signal?: AbortSignal): Promise<PlanPreview> {
  return (await import('./preview-plan.js')).previewPlan(config, Date.now, signal);
}

/** Records a process the host app started (a share worker, a pane program) as ours. */
export async function registerProcess(
  config: WorkspaceConfig,
  started: StartedProcess,
): Promise<LedgerEntry> {
  return (await import('./register-process.js')).registerStartedProcess(config, started);
}

/** Saves a plan for `recover --plan` (atomic; the file is the plan's JSON). */
export async function savePlan(file: string, plan: Plan): Promise<void> {
  const { writeFileAtomic } = await import('../store/atomic-file.js');
  await writeFileAtomic(file, `${JSON.stringify(plan, null, 2)}\n`);
}

/** Reads a saved plan: the plan, or why it is not one. */
export async function readPlan(
  text: string,
): Promise<{ ok: true; plan: Plan } | { ok: false; reason: string }> {
  return (await import('../specs/plan-file.js')).decodePlanFile(text);
}

export async function runStatus(config: WorkspaceConfig): Promise<WorkspaceStatus> {
  return (await import('./read-status.js')).readStatus(config);
}

export async function runImport(
  config: WorkspaceConfig,
  request: ImportRequest,
): Promise<ImportResult> {
  return (await import('./import/run-import.js')).runImport(config, request);
}

/** Safe mode's record, or null when it is off. */
export async function readSafeMode(config: WorkspaceConfig): Promise<SafeModeRecord | null> {
  return (await import('../store/recovery-files.js')).readSafeMode(config.stateDir);
}

/**
 * One request to the workspace's daemon: its reply, or a string saying why the request itself
 * was refused (a forbidden key is refused before anything is sent). The daemon checks every
 * request against the protocol's schema; this process loads the schema only when no daemon
 * answers (an invalid request is then said before "no daemon"), or to read a failure.
 */
export async function requestDaemon(
  config: WorkspaceConfig,
  request: Record<string, unknown>,
  timeoutMs: number,
): Promise<ControlResponse | string> {
  const [{ findForbiddenKey, forbiddenKeyRefusal }, { controlSocketPath, sendControlRequest }] =
    await Promise.all([import('../specs/control-json.js'), import('./daemon/control-client.js')]);
  const key = findForbiddenKey(request);
  if (key !== null) return forbiddenKeyRefusal(key);
  const reply = await sendControlRequest(controlSocketPath(config.stateDir), request, timeoutMs);
  if (reply.ok) return reply;
  if (reply.error.startsWith('request refused: ')) return reply.error;
  if (reply.remedy?.code === 'start_daemon') {
    const { checkControlRequest } = await import('../specs/control-protocol.js');
    const checked = checkControlRequest(request);
    if (typeof checked === 'string') return checked;
  }
  return reply;
}

/** What a crash left behind: safe to clean, or needing review (`orphans`). */
export async function scanOrphans(config: WorkspaceConfig): Promise<OrphanReport> {
  return (await import('./orphans/orphan-operations.js')).scanOrphans(config);
}

/** Applies exactly a scan's report (`orphans clean`). */
export async function cleanupOrphans(
  config: WorkspaceConfig,
  report: OrphanReport,
  onOutcome?: (outcome: Outcome) => void,
): Promise<CleanupCounts> {
  return (await import('./orphans/orphan-operations.js')).cleanupOrphans(config, report, onOutcome);
}

/** Settles one review item after re-checking it (`orphans approve ID`). */
export async function approveReview(
  config: WorkspaceConfig,
  id: string,
  options: {
    readonly discardIgnored?: boolean | undefined;
    readonly discardHiddenEdits?: boolean | undefined;
  } = {},
): Promise<string> {
  return (await import('./orphans/orphan-operations.js')).approveReview(config, id, options);
}

/** Leaves one review item alone for good (`orphans dismiss ID`). */
export async function dismissReview(config: WorkspaceConfig, id: string): Promise<string> {
  return (await import('./orphans/orphan-operations.js')).dismissReview(config, id);
}

/** Reads a file named by the user: bounded, never a FIFO; a refusal is a one-line reason. */
export async function readUserFile(file: string): Promise<{ text: string } | { reason: string }> {
  const { readBoundedFile, RefusedFileError } = await import('../store/bounded-read.js');
  try {
    return { text: await readBoundedFile(file) };
  } catch (error) {
    if (error instanceof RefusedFileError) return { reason: error.message };
    return { reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

export { shellQuote } from '../specs/shell-quoting.js';

/** Opens the workspace for a long-lived host process (lock, crash record, safe mode). */
export async function openHostWorkspace(
  config: WorkspaceConfig,
  onEvent: (event: RecoveryEvent) => void,
): Promise<HostOpening> {
  return (await import('./host-supervision.js')).openForHost(config, onEvent);
}
