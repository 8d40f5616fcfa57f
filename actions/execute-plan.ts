import { ACTION_KINDS, type Action, type ActionKind, groupByWave } from '../specs/plan.js';
import type { Outcome } from '../specs/outcome.js';
import { executeFlags, executeRemoves, executeTerminates } from './execute-cleanup.js';
import type { ExecutorContext } from './executor-context.js';
import { executeReinventory } from './execute-reinventory.js';
import { executeRepairs } from './execute-repairs.js';
import { executeReattaches, executeRespawns } from './execute-sessions.js';

type WaveExecutor<A> = (actions: readonly A[], ctx: ExecutorContext) => Promise<Outcome[]>;
type ActionOf<K extends ActionKind> = Extract<Action, { kind: K }>;

/**
 * The table kind -> executor: a new kind of action is one line here (the type requires it).
 * Each takes all actions of its kind in a wave, so it can batch.
 */
const EXECUTORS: { readonly [K in ActionKind]: WaveExecutor<ActionOf<K>> } = {
  reattach: executeReattaches,
  reinventory: (actions, ctx) =>
    Promise.all(actions.map((action) => executeReinventory(action, ctx))),
  respawn: executeRespawns,
  repair: executeRepairs,
  terminate: executeTerminates,
  remove: executeRemoves,
  flag: executeFlags,
};

/** Runs the actions of one kind through its executor. */
const executeKind = <K extends ActionKind>(
  kind: K,
  actions: readonly Action[],
  ctx: ExecutorContext,
): Promise<Outcome[]> =>
  EXECUTORS[kind](
    actions.filter((action): action is ActionOf<K> => action.kind === kind),
    ctx,
  );

/**
 * Applies actions wave by wave; within a wave, independent actions run concurrently. Reports
 * each outcome as soon as its wave ends. Never throws for environmental failures.
 */
export async function executeActions(
  actions: readonly Action[],
  ctx: ExecutorContext,
  onOutcome: (outcome: Outcome, action: Action) => void | Promise<void>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const wave of groupByWave(actions)) {
    const results = await Promise.all(ACTION_KINDS.map((kind) => executeKind(kind, wave, ctx)));
    // Each executor answers in the order it was given its actions: kind by kind.
    const ordered = ACTION_KINDS.flatMap((kind) => wave.filter((action) => action.kind === kind));
    for (const [i, outcome] of results.flat().entries()) {
      outcomes.push(outcome);
      await onOutcome(outcome, ordered[i]!);
    }
  }
  return outcomes;
}
