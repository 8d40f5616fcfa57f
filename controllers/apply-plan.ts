import { describeTerminateTarget } from '../specs/plan-text.js';
import type { ExecutorContext } from '../actions/executor-context.js';
import type { Outcome } from '../specs/outcome.js';
import type { Action, BlockedItem, Plan } from '../specs/plan.js';
import type { EventBus } from './event-bus.js';
import type { World } from './world.js';

/** What the plan could not do becomes a failed outcome at once: reported, never retried. */
function outcomeOfBlocked(item: BlockedItem): Outcome {
  return {
    key: item.key,
    kind: 'blocked',
    status: 'failed',
    reason: item.reason,
    message: item.message,
    durationMs: 0,
    remedy: item.remedy,
  };
}

function emitBlocked(bus: EventBus, item: BlockedItem): void {
  if (item.subject === 'session') {
    bus.emit('recovery.session.failed', {
      sessionId: item.id,
      sessionName: item.label,
      reason: item.reason,
      message: item.message,
      remedy: item.remedy,
    });
  } else {
    bus.emit('recovery.lane.failed', {
      laneId: item.id,
      reason: item.reason,
      message: item.message,
      remedy: item.remedy,
    });
  }
}

function emitOutcome(bus: EventBus, outcome: Outcome, action: Action): void {
  if (action.kind === 'reinventory') {
    if (outcome.status === 'succeeded') {
      bus.emit('recovery.lane.reinventoried', {
        laneId: action.lane.laneId,
        worktreePath: action.lane.worktreePath,
        branch: action.lane.branch,
      });
    } else {
      bus.emit('recovery.lane.failed', {
        laneId: action.lane.laneId,
        reason: outcome.reason,
        message: outcome.message,
        remedy: outcome.remedy,
      });
    }
    return;
  }
  if (action.kind === 'terminate') {
    if (outcome.status === 'succeeded') {
      bus.emit('recovery.orphan.terminated', {
        key: action.key,
        target: describeTerminateTarget(action.target),
        how: outcome.message,
      });
    }
    return;
  }
  if (action.kind === 'flag') {
    if (outcome.status === 'succeeded')
      bus.emit('recovery.orphan.flagged', {
        reviewId: action.reviewId,
        key: action.key,
        reason: action.reason,
        detail: action.detail,
      });
    return;
  }
  if (action.kind === 'remove') return;
  const { sessionId, sessionName } = action.session;
  if (outcome.status === 'succeeded') {
    bus.emit('recovery.session.restored', {
      sessionId,
      sessionName,
      status: outcome.restoredAs ?? 'respawned',
    });
  } else {
    bus.emit('recovery.session.failed', {
      sessionId,
      sessionName,
      reason: outcome.reason,
      message: outcome.message,
      remedy: outcome.remedy ?? { code: 'replan' },
    });
  }
}

/** Blocked items are reported this many at a time, the event loop yielded to between batches. */
export const BLOCKED_BATCH = 500;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * RESTORING: reports the blocked items, then applies the actions wave by wave. Each outcome is
 * emitted as an event and handed to `onOutcome` (which persists the plan cursor). Blocked items
 * are reported in batches with the loop yielded to in between (10,000 of them must not starve
 * the lock's heartbeat); once `ctx.signal` aborts, nothing more is reported or applied.
 */
export async function applyPlan(
  world: World,
  plan: Pick<Plan, 'actions' | 'blocked'>,
  ctx: ExecutorContext,
  bus: EventBus | null,
  onOutcome: (outcome: Outcome) => Promise<void>,
): Promise<Outcome[]> {
  const blocked: Outcome[] = [];
  for (let start = 0; start < plan.blocked.length; start += BLOCKED_BATCH) {
    if (start > 0) await yieldToLoop();
    if (ctx.signal?.aborted) return blocked;
    for (const item of plan.blocked.slice(start, start + BLOCKED_BATCH)) {
      if (bus) emitBlocked(bus, item);
      const outcome = outcomeOfBlocked(item);
      blocked.push(outcome);
      await onOutcome(outcome);
    }
  }
  if (ctx.signal?.aborted) return blocked;
  const applied = await world.execute(plan.actions, ctx, async (outcome, action) => {
    if (bus) emitOutcome(bus, outcome, action);
    await onOutcome(outcome);
  });
  return [...blocked, ...applied];
}
