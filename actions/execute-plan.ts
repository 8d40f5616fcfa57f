import { groupByWave } from '../specs/plan.js';
import type { Outcome } from '../specs/outcome.js';
import type {
  Action,
  ActionKind,
  FlagAction,
  ReattachAction,
  ReinventoryAction,
  RemoveAction,
  RespawnAction,
  TerminateAction,
} from '../specs/plan.js';
import { executeFlags, executeRemoves, executeTerminates } from './execute-cleanup.js';
import type { ExecutorContext } from './executor-context.js';
import { executeReinventory } from './execute-reinventory.js';
import { executeReattaches, executeRespawns } from './execute-sessions.js';

type WaveExecutor<A> = (actions: readonly A[], ctx: ExecutorContext) => Promise<Outcome[]>;

/** The table kind -> executor. Each takes all actions of its kind in a wave (so it can batch). */
const EXECUTORS: {
  reattach: WaveExecutor<ReattachAction>;
  reinventory: WaveExecutor<ReinventoryAction>;
  respawn: WaveExecutor<RespawnAction>;
  terminate: WaveExecutor<TerminateAction>;
  remove: WaveExecutor<RemoveAction>;
  flag: WaveExecutor<FlagAction>;
} = {
  reattach: executeReattaches,
  reinventory: (actions, ctx) =>
    Promise.all(actions.map((action) => executeReinventory(action, ctx))),
  respawn: executeRespawns,
  terminate: executeTerminates,
  remove: executeRemoves,
  flag: executeFlags,
};

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
    const byKind = (kind: ActionKind) => wave.filter((action) => action.kind === kind);
    const reattach = byKind('reattach') as ReattachAction[];
    const reinventory = byKind('reinventory') as ReinventoryAction[];
    const respawn = byKind('respawn') as RespawnAction[];
    const terminate = byKind('terminate') as TerminateAction[];
    const remove = byKind('remove') as RemoveAction[];
    const flag = byKind('flag') as FlagAction[];
    const results = await Promise.all([
      EXECUTORS.reattach(reattach, ctx),
      EXECUTORS.reinventory(reinventory, ctx),
      EXECUTORS.respawn(respawn, ctx),
      EXECUTORS.terminate(terminate, ctx),
      EXECUTORS.remove(remove, ctx),
      EXECUTORS.flag(flag, ctx),
    ]);
    const ordered: Action[] = [
      ...reattach,
      ...reinventory,
      ...respawn,
      ...terminate,
      ...remove,
      ...flag,
    ];
    const waveOutcomes = results.flat();
    for (const [i, outcome] of waveOutcomes.entries()) {
      outcomes.push(outcome);
      await onOutcome(outcome, ordered[i]!);
    }
  }
  return outcomes;
}
