import { randomUUID } from 'node:crypto';
import type { ActiveStage, EventPayloads, RecoveryStage } from '../specs/events.js';
import type { Remedy } from '../specs/remedies.js';
import type { RecoveryState } from '../specs/state-files.js';
import { ensureTrustedDir } from '../store/private-dir.js';
import { readRecoveryState, writeRecoveryState } from '../store/recovery-files.js';
import { isFailedStage, mintIncarnation } from './recover/stage-machine.js';
import type { WorkspaceConfig } from './workspace-config.js';

const NEXT: Readonly<Record<ActiveStage, readonly ActiveStage[]>> = {
  DETECTING: ['INVENTORYING'],
  INVENTORYING: ['RESTORING'],
  RESTORING: ['RECONCILING', 'LIVE'],
  RECONCILING: ['LIVE'],
  LIVE: [],
};
/** A run starts at DETECTING (crash detection first) or INVENTORYING (the host detected it). */
const STARTS: readonly RecoveryStage[] = ['DETECTING', 'INVENTORYING'];

/**
 * Why `from -> to` is not a move of the stage machine, or null when it is. A run starts at
 * DETECTING or INVENTORYING from anywhere (a new run, or one started over after a crash); an
 * active stage goes on to its successor, is tried again (the same stage: the next attempt), or
 * fails (`<STAGE>_FAILED`); LIVE and the failed stages end a run.
 */
export function transitionProblem(from: RecoveryStage | null, to: RecoveryStage): string | null {
  if (STARTS.includes(to) && to !== from) return null;
  if (from === null || isFailedStage(from) || from === 'LIVE')
    return `a run starts at DETECTING or INVENTORYING, not at ${to}`;
  if (to === from || NEXT[from].includes(to as ActiveStage) || to === `${from}_FAILED`) return null;
  return `${from} cannot move to ${to} (next: ${[...NEXT[from], `${from}_FAILED`].join(', ')})`;
}

/** The stage machine of one workspace, persisted in recovery-state.json. */
export interface HostStageMachine {
  /** The stage reached (null: no run was ever recorded). */
  readonly stage: RecoveryStage | null;
  readonly attempt: number;
  /** The incarnation resources are bound to; kept when an interrupted run is resumed. */
  readonly incarnation: string;
  /** The stage a run was interrupted at (its process died mid-way), until a run starts again. */
  readonly interruptedAt: Exclude<ActiveStage, 'LIVE'> | null;
  /** Moves to `to`, persists it, and announces it (`recovery.stage.changed`). */
  enter(to: RecoveryStage, detail?: { reason?: string; remedy?: Remedy }): Promise<void>;
}

/**
 * Opens the workspace's stage machine where its last run left it: a run whose process died
 * mid-way is `interruptedAt` its stage, and entering that stage again resumes it with its
 * incarnation (what it restored is then in sync, not restored twice). A new run mints a new
 * incarnation. Writes that fail are reported to `onUnsaved`, never thrown: the run goes on.
 */
export async function openStageMachine(
  config: WorkspaceConfig,
  emit: (payload: EventPayloads['recovery.stage.changed']) => void,
  onUnsaved: (reason: string) => void = () => undefined,
  now: () => number = Date.now,
): Promise<HostStageMachine> {
  let state: RecoveryState | null = await readRecoveryState(config.stateDir);
  const persisted = state?.stage ?? null;
  let interrupted: Exclude<ActiveStage, 'LIVE'> | null =
    persisted !== null && persisted !== 'LIVE' && !isFailedStage(persisted) ? persisted : null;
  const stamp = () => new Date(now()).toISOString();
  return {
    get stage() {
      return state?.stage ?? null;
    },
    get attempt() {
      return state?.attempt ?? 0;
    },
    get incarnation() {
      return state?.incarnation ?? '';
    },
    get interruptedAt() {
      return interrupted;
    },
    async enter(to, detail = {}) {
      const from = state?.stage ?? null;
      const problem = transitionProblem(from, to);
      if (problem !== null) throw new Error(`stage machine: ${problem}`);
      const active = from !== null && from !== 'LIVE' && !isFailedStage(from);
      // Forward, a retry or a failure: the same run. Anything else starts one (transitionProblem
      // allowed it); a run started over an interrupted one resumes it: its incarnation and
      // outcomes are kept, so what it had restored is in sync.
      const sameRun =
        active &&
        (to === from || NEXT[from].includes(to as ActiveStage) || to === `${from}_FAILED`);
      const resuming = !sameRun && interrupted !== null && state !== null;
      interrupted = null; // resumed, or started over: either way no longer interrupted
      const keep = sameRun || resuming;
      const attempt = sameRun && to === from ? (state?.attempt ?? 0) + 1 : 1;
      state = {
        version: 1,
        runId: sameRun && state ? state.runId : randomUUID(),
        workspaceId: config.workspaceId,
        incarnation: keep && state ? state.incarnation : mintIncarnation(now()),
        stage: to,
        attempt,
        checkpointGeneration: keep ? (state?.checkpointGeneration ?? null) : null,
        outcomes: keep ? (state?.outcomes ?? []) : [],
        failureReason: isFailedStage(to) ? (detail.reason ?? null) : null,
        ...(isFailedStage(to) && detail.remedy ? { failureRemedy: detail.remedy } : {}),
        startedAt: sameRun && state ? state.startedAt : stamp(),
        updatedAt: stamp(),
      };
      const saved = state;
      await ensureTrustedDir(config.stateDir)
        .then(() => writeRecoveryState(config.stateDir, saved))
        .catch((error: unknown) =>
          onUnsaved(`recovery state not written: ${(error as Error).message}`),
        );
      emit({
        from,
        to,
        attempt,
        ...(detail.reason ? { reason: detail.reason } : {}),
        ...(detail.remedy ? { remedy: detail.remedy } : {}),
      });
    },
  };
}
