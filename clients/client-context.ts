import { isMarkerName } from '../specs/markers.js';
import type { TmuxTarget } from './tmux-target.js';
import type { ZellijTarget } from './zellij-target.js';

/** What a multiplexer client needs: where the multiplexers are, the owner to tag, a timeout. */
export interface ClientContext {
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
  /** The environment helios-recover runs in, read once by the caller: clients read no globals. */
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal | undefined;
}

/** A client step's result: an environmental failure is a value with a one-line reason. */
export type StepResult =
  | {
      readonly ok: true;
      readonly message: string;
      /** What the user should know although it went well (a file kept for them). */
      readonly notes?: readonly string[] | undefined;
    }
  | { readonly ok: false; readonly reason: string };

/** A session kill: done (perhaps it was gone already), or why not. */
export type KillResult =
  | { readonly ok: true; readonly alreadyGone: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * The environment of a multiplexer client we start: ours, minus inherited markers and minus
 * what would make a zellij client act inside the session we run in (a client whose
 * ZELLIJ_SESSION_NAME equals its target panics on `attach -b`).
 */
export function clientEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(base).filter(
      ([key]) =>
        !isMarkerName(key) && !['ZELLIJ', 'ZELLIJ_SESSION_NAME', 'ZELLIJ_PANE_ID'].includes(key),
    ),
  );
}
