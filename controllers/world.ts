import type { ExecutorContext } from '../actions/executor-context.js';
import { executeActions } from '../actions/execute-plan.js';
import type { StepResult } from '../clients/client-context.js';
import {
  clientFor,
  type ObserveTarget,
  type Owner,
  type SessionTag,
} from '../clients/multiplexer-clients.js';
import { observeActualState, type ObserveOptions } from '../observers/observe-actual-state.js';
import type { ActualState, CapturedSession, Observation } from '../specs/actual-state.js';
import type { Multiplexer } from '../specs/checkpoint-spec.js';
import type { DesiredState } from '../specs/desired-state.js';
import type { Outcome } from '../specs/outcome.js';
import type { Action } from '../specs/plan.js';

/**
 * The reconcile contract's world: everything a controller does to the machine goes through
 * these four calls. Production uses the real observers, executors and multiplexer clients
 * (REAL_WORLD); unit tests hand a fake one (test/fakes/fake-world.ts) through the config, and
 * run recover, the daemon, plan, checkpoint and the facades without tmux. `worldOf(config)` is
 * the one way to reach it.
 */
export interface World {
  /** The actual state of everything `desired` names: every observer, in parallel. */
  observe(
    desired: DesiredState,
    options: ObserveOptions,
    signal?: AbortSignal,
  ): Promise<ActualState>;
  /** Executes plan actions wave by wave; each outcome is reported as it ends. */
  execute(
    actions: readonly Action[],
    ctx: ExecutorContext,
    onOutcome: (outcome: Outcome, action: Action) => void | Promise<void>,
  ): Promise<Outcome[]>;
  /** One multiplexer's live sessions with what a checkpoint records (cwd, env, command, text). */
  capture(
    backend: Multiplexer,
    target: ObserveTarget,
    signal?: AbortSignal,
  ): Promise<Observation<CapturedSession>>;
  /** Tags checkpointed sessions as this workspace instance's, where the multiplexer can. */
  tag(
    backend: Multiplexer,
    target: ObserveTarget,
    owner: Owner,
    sessions: readonly SessionTag[],
  ): Promise<StepResult>;
}

export const REAL_WORLD: World = {
  observe: observeActualState,
  execute: executeActions,
  capture: (backend, target, signal) => clientFor(backend).capture(target, signal),
  tag: (backend, target, owner, sessions) => clientFor(backend).tag(target, owner, sessions),
};

/** The world a workspace's runs act on: the one its config names, else the real one. */
export function worldOf(config: { readonly world?: World | undefined }): World {
  return config.world ?? REAL_WORLD;
}
