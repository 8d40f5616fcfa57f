import type { CapturedSession, MuxSession, Observation } from '../specs/actual-state.js';
import type { Multiplexer, SessionEntrySpec } from '../specs/checkpoint-spec.js';
import { adoptTmuxSessions } from './adopt-tmux-sessions.js';
import { captureTmuxSessions } from './capture-tmux-sessions.js';
import { captureZellijSessions } from './capture-zellij-sessions.js';
import type { ClientContext, KillResult, StepResult } from './client-context.js';
import { observeTmuxSessions } from './observe-tmux-sessions.js';
import { observeZellijSessions } from './observe-zellij-sessions.js';
import { bindTmuxSession, createTmuxSessions, killTmuxSession } from './tmux-driver.js';
import type { TmuxTarget } from './tmux-target.js';
import type { PaneToCreate, ProgramToType } from './tmux-windows.js';
import { sessionEnvironment } from '../specs/markers.js';
import { bindZellijSession, killZellijSession } from './zellij-driver.js';
import { createZellijSession } from './zellij-create.js';
import { checkZellijVersion, type ZellijTarget } from './zellij-target.js';

/** Where the multiplexers are, for observing: a workspace config or an executor context. */
export interface ObserveTarget {
  readonly tmux: TmuxTarget;
  readonly zellij: ZellijTarget;
  readonly timeoutMs: number;
  readonly stateDir: string;
  /** The environment helios-recover runs in ($SHELL for a pane whose command is unreadable). */
  readonly env: NodeJS.ProcessEnv;
}

/** One session to create: its checkpoint entry and the argv its first pane runs. */
export interface SessionToCreate {
  readonly session: SessionEntrySpec;
  readonly command: readonly string[];
  /** zellij keeps an EXITED session of that name that must be deleted first. */
  readonly replacesExited: boolean;
  /** The session's other panes and their launchers. */
  readonly panes?: readonly PaneToCreate[] | undefined;
  /** Programs to type into their panes' shells. */
  readonly programs?: readonly ProgramToType[] | undefined;
}

/**
 * Everything helios-recover asks of a multiplexer, behind one face. Observers list and
 * capture; executors create, bind and kill. Nothing outside clients/ runs a multiplexer.
 */
export interface MultiplexerClient {
  readonly backend: Multiplexer;
  /** Live (and EXITED) sessions; a failure is `unavailable`, never empty. */
  list(target: ObserveTarget, signal?: AbortSignal): Promise<Observation<MuxSession>>;
  /** Live sessions with cwd, env, command and scrollback, for a checkpoint. */
  capture(target: ObserveTarget, signal?: AbortSignal): Promise<Observation<CapturedSession>>;
  /**
   * The argv a new session's first pane runs: always the launcher, which records the pane in
   * the ledger before it execs the command. `writeLauncher(exports)` writes it with `exports`
   * set in it; the client decides which env the launcher must carry.
   */
  paneCommand(
    ctx: ClientContext,
    session: SessionEntrySpec,
    writeLauncher: (exports: Record<string, string>) => Promise<string>,
  ): Promise<string[]>;
  /** Creates sessions (as fast as the multiplexer safely allows), one result per item. */
  create(ctx: ClientContext, items: readonly SessionToCreate[]): Promise<StepResult[]>;
  /** Binds a live session to this incarnation. */
  bind(ctx: ClientContext, session: SessionEntrySpec): Promise<StepResult>;
  /** Kills a session and returns once it is gone. */
  kill(ctx: ClientContext, name: string): Promise<KillResult>;
  /** Marks checkpointed sessions as this workspace instance's, where the multiplexer can. */
  tag(target: ObserveTarget, owner: Owner, sessions: readonly SessionTag[]): Promise<StepResult>;
  /** null when this version is supported, else one line saying why not. */
  version(target: ObserveTarget): Promise<string | null>;
}

export interface Owner {
  readonly workspaceId: string;
  readonly instanceId: string;
}
export interface SessionTag {
  readonly name: string;
  readonly sessionId: string;
}

const tmuxClient: MultiplexerClient = {
  backend: 'tmux',
  // tmux sets the env with `-e` and runs `/bin/sh <launcher>` (a lone path would be re-split by
  // `sh -c`).
  paneCommand: async (_ctx, _session, writeLauncher) => ['/bin/sh', await writeLauncher({})],
  list: (target, signal) => observeTmuxSessions(target, signal),
  capture: (target, signal) => captureTmuxSessions(target, signal),
  create: (ctx, items) => createTmuxSessions(ctx, items),
  bind: (ctx, session) => bindTmuxSession(ctx, session),
  kill: (ctx, name) => killTmuxSession(ctx, name),
  tag: (target, owner, sessions) =>
    adoptTmuxSessions(target.tmux, target.timeoutMs, owner, sessions),
  version: async () => null, // every tmux with `-e` and formats (3.0+) behaves alike here
};

const zellijClient: MultiplexerClient = {
  backend: 'zellij',
  // A layout pane runs its command with the client's env: a launcher sets the session's env.
  paneCommand: async (ctx, session, writeLauncher) => [
    '/bin/sh',
    await writeLauncher(sessionEnvironment(ctx, session)),
  ],
  list: (target, signal) => observeZellijSessions(target, signal),
  capture: (target, signal) => captureZellijSessions(target, signal),
  async create(ctx, items) {
    // One at a time: concurrent `attach -b` clients race on the socket dir (zellij-driver).
    const results: StepResult[] = [];
    for (const item of items)
      // One session's unexpected error fails that session alone, never the others' outcomes.
      results.push(
        await createZellijSession(ctx, item).catch((error: unknown) => ({
          ok: false as const,
          reason: `zellij session ${item.session.sessionName}: ${(error as Error).message}`,
        })),
      );
    return results;
  },
  bind: (ctx, session) => bindZellijSession(ctx, session),
  kill: (ctx, name) => killZellijSession(ctx, name),
  // zellij has no session options: a session is bound (bindings/) when it is reattached.
  tag: async () => ({ ok: true, message: 'zellij sessions are bound at reattach' }),
  version: (target) => checkZellijVersion(target.zellij, target.timeoutMs),
};

/** The table from multiplexer to client. */
const MULTIPLEXER_CLIENTS: Readonly<Record<Multiplexer, MultiplexerClient>> = {
  tmux: tmuxClient,
  zellij: zellijClient,
};

export function clientFor(backend: Multiplexer): MultiplexerClient {
  return MULTIPLEXER_CLIENTS[backend];
}
