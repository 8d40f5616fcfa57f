import { executeActions } from '../actions/execute-plan.js';
import { observeActualState } from '../observers/observe-actual-state.js';

/**
 * What a reconcile acts on: how it observes the actual state and how it executes plan actions.
 * Production uses the real observers and executors; unit tests hand recover, the daemon and
 * apply-plan a fake world (test/fakes/) and run them without tmux.
 */
export interface World {
  readonly observe: typeof observeActualState;
  readonly execute: typeof executeActions;
}

export const REAL_WORLD: World = { observe: observeActualState, execute: executeActions };
