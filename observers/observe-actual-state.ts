import type { ActualState, MuxSession, Observation } from '../specs/actual-state.js';
import { type Multiplexer, MULTIPLEXERS } from '../specs/checkpoint-spec.js';
import type { DesiredState } from '../specs/desired-state.js';
import { observeLaneBindings } from '../store/binding-files.js';
import { observeOrphans } from './observe-orphans.js';
import { findMissingDirectories, observeTempFiles } from './observe-temp-files.js';
import { observeWorktrees } from './observe-worktrees.js';
import { clientFor } from '../clients/multiplexer-clients.js';
import type { TmuxTarget } from '../clients/tmux-target.js';
import type { ZellijTarget } from '../clients/zellij-target.js';

export interface ObserveOptions {
  readonly stateDir: string;
  readonly tmux: TmuxTarget;
  readonly zellij: ZellijTarget;
  /** Per-call timeout of every CLI call. */
  readonly timeoutMs: number;
  readonly env: NodeJS.ProcessEnv;
  /** Backends to observe even if no desired session uses them. */
  readonly backends?: readonly Multiplexer[];
  readonly now: () => number;
  /** Also scan for orphans (wave 4): processes, lane worktrees, review list. */
  readonly orphans?: { readonly repositories: readonly string[] } | undefined;
}

/** The backends a desired state needs, in a stable order. */
function backendsOf(desired: DesiredState, extra: readonly Multiplexer[] = []): Multiplexer[] {
  const used = new Set<Multiplexer>([...desired.sessions.map((s) => s.multiplexer), ...extra]);
  return MULTIPLEXERS.filter((backend) => used.has(backend));
}

/** Observes everything the plan for `desired` depends on, all observers in parallel. */
export async function observeActualState(
  desired: DesiredState,
  options: ObserveOptions,
  signal?: AbortSignal,
): Promise<ActualState> {
  const backends = backendsOf(desired, options.backends);
  const repositories = [...new Set(desired.lanes.map((lane) => lane.repository))].sort();
  const observeBackend = (backend: Multiplexer): Promise<Observation<MuxSession>> =>
    clientFor(backend).list(options, signal);
  const [sessionObservations, worktreeObservations, laneBindings, missingPaths, tempFiles] =
    await Promise.all([
      Promise.all(backends.map(observeBackend)),
      Promise.all(
        repositories.map((repository) =>
          observeWorktrees(repository, { timeoutMs: options.timeoutMs, env: options.env }, signal),
        ),
      ),
      observeLaneBindings(options.stateDir),
      findMissingDirectories([
        ...desired.sessions.map((session) => session.workingDirectory),
        ...desired.lanes.map((lane) => lane.worktreePath),
      ]),
      observeTempFiles(options.stateDir, options.now()),
    ]);
  const sessions = Object.fromEntries(
    backends.map((backend, i) => [backend, sessionObservations[i]!]),
  );
  const orphans = options.orphans
    ? await observeOrphans(sessions, {
        stateDir: options.stateDir,
        workspaceId: desired.workspaceId,
        timeoutMs: options.timeoutMs,
        env: options.env,
        repositories: [...repositories, ...options.orphans.repositories],
      })
    : undefined;
  return {
    sessions,
    orphans,
    repositories: Object.fromEntries(
      repositories.map((repository, i) => [repository, worktreeObservations[i]!]),
    ),
    laneBindings,
    missingPaths,
    tempFiles,
  };
}
