import type { ExecutorContext } from '../../actions/executor-context.js';
import type { World } from '../../controllers/world.js';
import type { ActualState, LaneBinding, MuxSession } from '../../specs/actual-state.js';
import type { Multiplexer } from '../../specs/checkpoint-spec.js';
import type { DesiredState } from '../../specs/desired-state.js';
import type { Outcome } from '../../specs/outcome.js';
import type { Action } from '../../specs/plan.js';
import { applyActions } from '../support/simulate-apply.js';

/**
 * An in-memory world for unit tests of recover, the daemon, reconcile, plan, checkpoint,
 * control requests and the facades:
 * sessions live in a map, executors change it, observers read it. No tmux, no processes.
 * What it cannot do is said by the test: `blind(backend)` makes a backend unobservable,
 * `failRespawn(name)` makes one respawn fail, `crash()` kills every session.
 */
export interface FakeWorld {
  readonly world: World;
  /** Live sessions, by name. */
  sessions(): MuxSession[];
  /** Every action executed, in order. */
  readonly executed: Action[];
  /** Every session name a checkpoint tagged, in order. */
  readonly tagged: string[];
  /** How many times the world was observed. */
  observations(): number;
  crash(): void;
  kill(name: string): void;
  /** A session that is not ours (no workspace tag), e.g. the user's own. */
  addForeign(name: string, backend?: Multiplexer): void;
  blind(backend: Multiplexer, reason?: string): void;
  /** The user changed directory in a live session (the daemon's checkpoint captures it). */
  moveTo(name: string, cwd: string): void;
  /** The next respawn of `name` (any session for `*`) fails as if its command exited at once. */
  failRespawn(name: string, reason?: string): void;
  /** Every respawn of `name` fails: its command does not exist (a terminal failure). */
  missingCommand(name: string): void;
}

export function createFakeWorld(): FakeWorld {
  const live = new Map<string, MuxSession>();
  const bindings = new Map<string, LaneBinding>();
  const blinded = new Map<Multiplexer, string>();
  const failing = new Map<string, string>();
  const missing = new Set<string>();
  const executed: Action[] = [];
  const tagged: string[] = [];
  let observed = 0;
  let nextPid = 10_000;

  const observe: World['observe'] = async (desired: DesiredState, options) => {
    observed += 1;
    const backends = new Set<Multiplexer>([
      ...desired.sessions.map((s) => s.multiplexer),
      ...(options.backends ?? []),
    ]);
    const sessions: ActualState['sessions'] = {};
    for (const backend of backends) {
      const reason = blinded.get(backend);
      sessions[backend] = reason
        ? { status: 'unavailable', reason }
        : { status: 'ok', items: [...live.values()].filter((s) => s.backend === backend) };
    }
    const repositories: Record<string, ActualState['repositories'][string]> = {};
    for (const lane of desired.lanes)
      repositories[lane.repository] = {
        status: 'ok',
        items: [
          {
            path: lane.worktreePath,
            head: 'abc',
            branch: lane.branch,
            bare: false,
            detached: false,
            locked: false,
            prunable: false,
          },
        ],
      };
    return {
      sessions,
      repositories,
      laneBindings: { status: 'ok', items: [...bindings.values()] },
      missingPaths: [],
      tempFiles: { status: 'ok', items: [] },
    };
  };

  const outcome = (action: Action, fields: Partial<Outcome> = {}): Outcome => ({
    key: action.key,
    kind: action.kind,
    status: 'succeeded',
    reason: action.reason,
    message: `${action.kind} done`,
    durationMs: 0,
    ...fields,
  });

  const apply = (action: Action, ctx: ExecutorContext): Outcome => {
    executed.push(action);
    if (action.kind === 'reattach' || action.kind === 'respawn') {
      const { session } = action;
      const failingAs = failing.has(session.sessionName) ? session.sessionName : '*';
      const failure = failing.get(failingAs);
      if (action.kind === 'respawn' && missing.has(session.sessionName))
        return outcome(action, {
          status: 'failed',
          reason: 'command_not_found',
          message: `cannot start \`${session.shellCommand.join(' ')}\`: not found`,
          terminal: true,
        });
      if (action.kind === 'respawn' && failure) {
        failing.delete(failingAs);
        return outcome(action, {
          status: 'failed',
          reason: 'exited_immediately',
          message: failure,
        });
      }
      applyModel(action, ctx);
      return outcome(action, {
        restoredAs: action.kind === 'reattach' ? 'reattached' : 'respawned',
      });
    }
    applyModel(action, ctx);
    return outcome(action);
  };

  /** What a successful executor does, by the one model (test/support/simulate-apply.ts). */
  const applyModel = (action: Action, ctx: ExecutorContext): void => {
    const backends: Multiplexer[] = ['tmux', 'zellij'];
    const before: ActualState = {
      sessions: Object.fromEntries(
        backends.map((backend) => [
          backend,
          { status: 'ok', items: [...live.values()].filter((s) => s.backend === backend) },
        ]),
      ),
      repositories: {},
      laneBindings: { status: 'ok', items: [...bindings.values()] },
      missingPaths: [],
      tempFiles: { status: 'ok', items: [] },
    };
    const after = applyActions(before, [action], {
      workspaceId: ctx.workspaceId,
      instanceId: ctx.instanceId,
      incarnation: ctx.incarnation,
      nextPid: () => (nextPid += 1),
    });
    live.clear();
    for (const observation of Object.values(after.sessions))
      if (observation?.status === 'ok') for (const s of observation.items) live.set(s.name, s);
    bindings.clear();
    if (after.laneBindings.status === 'ok')
      for (const binding of after.laneBindings.items) bindings.set(binding.laneId, binding);
  };

  const capture: World['capture'] = async (backend) => {
    const reason = blinded.get(backend);
    if (reason) return { status: 'unavailable', reason };
    return {
      status: 'ok',
      items: [...live.values()]
        .filter((s) => s.backend === backend && s.state === 'live')
        .map((s) => ({
          backend,
          name: s.name,
          workspaceId: s.workspaceId,
          instanceId: s.instanceId,
          sessionId: s.sessionId,
          cwd: s.cwd ?? '/',
          environment: {},
          shellCommand: ['/bin/sh'],
          scrollback: '',
        })),
    };
  };

  const execute: World['execute'] = async (actions, ctx, onOutcome) => {
    const outcomes: Outcome[] = [];
    for (const action of [...actions].sort((a, b) => a.wave - b.wave)) {
      const result = apply(action, ctx);
      outcomes.push(result);
      await onOutcome(result, action);
    }
    return outcomes;
  };

  const tag: World['tag'] = async (backend, _target, owner, sessions) => {
    for (const { name, sessionId } of sessions) {
      const session = live.get(name);
      if (session && session.backend === backend)
        live.set(name, { ...session, workspaceId: owner.workspaceId, sessionId });
    }
    tagged.push(...sessions.map((s) => s.name));
    return { ok: true, message: `tagged ${sessions.length}` };
  };

  return {
    world: { observe, execute, capture, tag },
    tagged,
    sessions: () => [...live.values()],
    executed,
    observations: () => observed,
    crash: () => live.clear(),
    kill: (name) => void live.delete(name),
    addForeign: (name, backend = 'tmux') =>
      void live.set(name, {
        backend,
        name,
        state: 'live',
        workspaceId: null,
        sessionId: null,
        incarnation: null,
        panePid: (nextPid += 1),
        cwd: '/',
      }),
    blind: (backend, reason = `${backend} is not answering`) => void blinded.set(backend, reason),
    moveTo: (name, cwd) => {
      const session = live.get(name);
      if (session) live.set(name, { ...session, cwd });
    },
    failRespawn: (name, reason = 'the command exited at once') => void failing.set(name, reason),
    missingCommand: (name) => void missing.add(name),
  };
}
