import { executeActions } from '../actions/execute-plan.js';
import { clientFor } from '../clients/multiplexer-clients.js';
import { observeActualState } from '../observers/observe-actual-state.js';
import type { Multiplexer } from '../specs/checkpoint-spec.js';
import type { WorkspaceConfig } from './workspace-config.js';

/**
 * What a reconcile acts on: how it observes the actual state, how it executes plan actions and
 * how the daemon captures live sessions for its checkpoints. Production uses the real observers,
 * executors and multiplexer clients; unit tests hand recover, the daemon, apply-plan and control
 * requests a fake world (test/fakes/) and run them without tmux.
 */
export interface World {
  readonly observe: typeof observeActualState;
  readonly execute: typeof executeActions;
  readonly capture: (
    backend: Multiplexer,
    config: WorkspaceConfig,
    signal?: AbortSignal,
  ) => ReturnType<ReturnType<typeof clientFor>['capture']>;
}

export const REAL_WORLD: World = {
  observe: observeActualState,
  execute: executeActions,
  capture: (backend, config, signal) => clientFor(backend).capture(config, signal),
};

/** The world a workspace's runs act on: the one its config names, else the real one. */
export function worldOf(config: { readonly world?: World | undefined }): World {
  return config.world ?? REAL_WORLD;
}
