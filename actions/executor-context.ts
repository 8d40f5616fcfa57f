import type { TmuxTarget } from '../observers/tmux-target.js';
import type { ZellijTarget } from '../observers/zellij-target.js';

/** Everything an executor needs; executors never reach for globals. */
export interface ExecutorContext {
  readonly stateDir: string;
  readonly workspaceId: string;
  /** The workspace instance (state dir and user) the markers of started processes name. */
  readonly instanceId: string;
  /** The incarnation resources are bound to (tmux options, binding files). */
  readonly incarnation: string;
  readonly tmux: TmuxTarget;
  readonly zellij: ZellijTarget;
  /** Per-call timeout of every CLI call. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Crash-loop safe mode: respawns run the user's shell instead of any other command. */
  readonly safeMode?: boolean | undefined;
}

/** A driver step's result: an environmental failure is a value with a one-line reason. */
export type StepResult =
  { readonly ok: true; readonly message: string } | { readonly ok: false; readonly reason: string };
