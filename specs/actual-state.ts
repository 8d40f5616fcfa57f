import type { Multiplexer, WindowSpec } from './checkpoint-spec.js';
import type { OrphanScan } from './orphans.js';
import type { LaneBinding } from './state-files.js';

export type { LaneBinding };

/** What an observer saw. `unavailable` means it could not see: never read it as "empty". */
export type Observation<T> =
  | {
      readonly status: 'ok';
      readonly items: readonly T[];
      /**
       * Named parts the observer could not see (one hung zellij server among healthy ones): each
       * is unknown, never absent, so a reader plans nothing over it and cleanup stays held back.
       */
      readonly blind?: readonly BlindPart[] | undefined;
      /**
       * A capture's sessions that are not running because their server is gone (a crash or a
       * kill-server, not a close): `true` when no server answers at all (tmux), else the names
       * zellij lists as exited. A checkpoint keeps their previous entries.
       */
      readonly serverGone?: true | readonly string[] | undefined;
      /** Which (tmux) server answered: its pid and /proc start time (absent: unknown). */
      readonly server?: ServerIdentity | undefined;
    }
  | { readonly status: 'unavailable'; readonly reason: string };

/** A server process: its pid and /proc start time (together: which process it is). */
export interface ServerIdentity {
  readonly pid: number;
  readonly startTime: number;
}

/** One part of an `ok` observation that could not be seen: its name and why, in one line. */
export interface BlindPart {
  readonly name: string;
  readonly reason: string;
}

/** The blind parts of an observation: none when it is unavailable as a whole or saw everything. */
export function blindPartsOf<T>(observation: Observation<T> | undefined): readonly BlindPart[] {
  return observation?.status === 'ok' ? (observation.blind ?? []) : [];
}

/** A multiplexer session as observed. */
export interface MuxSession {
  readonly backend: Multiplexer;
  readonly name: string;
  /**
   * zellij keeps exited sessions for resurrection; a live zellij session that runs no pane
   * process is `waiting` (zellij resurrected it and its panes wait for ENTER): not a survivor.
   * tmux sessions are always live.
   */
  readonly state: 'live' | 'exited' | 'waiting';
  /** A waiting session's terminal panes that wait, and its pane processes that run. */
  readonly waiting?: { readonly waiting: number; readonly running: number } | undefined;
  /** Workspace that owns the session (tmux `@helios-workspace`, zellij binding), if known. */
  readonly workspaceId: string | null;
  /** Workspace instance recorded on the session (tmux `@helios-instance`, zellij binding). */
  readonly instanceId?: string | null | undefined;
  /** Session id recorded on the session (tmux `@helios-session-id`, zellij binding). */
  readonly sessionId: string | null;
  /** Controller incarnation the session is bound to; null when unbound. */
  readonly incarnation: string | null;
  /** The pid of the (active) pane's process, when known. */
  readonly panePid: number | null;
  /** The multiplexer server process serving the session, when known. */
  readonly serverPid?: number | null | undefined;
  /** The server's /proc start time: with its pid, which server (null: unreadable). */
  readonly serverStartTime?: number | null | undefined;
  /** When the session was created: tmux `#{session_created}`, epoch seconds (null on zellij). */
  readonly createdAt?: number | null | undefined;
  /** Every pane's process with its /proc start time (absent: not observed). */
  readonly panes?:
    readonly { readonly pid: number; readonly startTime: number | null }[] | undefined;
  /** The pane markers (`W.P`) its pane processes carry (zellij, a session bound to us). */
  readonly paneMarkers?: readonly string[] | undefined;
  /** Its windows by index with how many panes each has (tmux; absent: not observed). */
  readonly windows?: readonly { readonly index: number; readonly panes: number }[] | undefined;
  readonly cwd: string | null;
}

/** One record of `git worktree list --porcelain`. */
export interface WorktreeEntry {
  readonly path: string;
  readonly head: string | null;
  /** Short branch name (`refs/heads/` stripped); null when detached or bare. */
  readonly branch: string | null;
  readonly bare: boolean;
  readonly detached: boolean;
  readonly locked: boolean;
  readonly prunable: boolean;
}

/** A `*.tmp` file in the state dir. */
export interface TempFile {
  readonly path: string;
  readonly ageMs: number;
  /** A live process holds it open (or the pid in its name is alive): someone is writing it. */
  readonly hasLiveWriter: boolean;
}

/** Everything the observers saw in one pass; plain data, serialisable. */
export interface ActualState {
  /** Only the backends the desired state needs (or that were asked for) appear here. */
  readonly sessions: Partial<Record<Multiplexer, Observation<MuxSession>>>;
  /** Keyed by repository path. A missing repository is `ok` with no worktrees. */
  readonly repositories: Readonly<Record<string, Observation<WorktreeEntry>>>;
  readonly laneBindings: Observation<LaneBinding>;
  /** Desired paths (cwds, worktrees) that do not exist on disk. */
  readonly missingPaths: readonly string[];
  readonly tempFiles: Observation<TempFile>;
  /** Present when wave 4 (orphans) is to be planned. */
  readonly orphans?: OrphanScan | undefined;
}

/** A live session as captured for a checkpoint: what a respawn needs to recreate it. */
export interface CapturedSession {
  readonly backend: Multiplexer;
  readonly name: string;
  /** Owner workspace recorded on the session, if any (foreign ones are never captured). */
  readonly workspaceId: string | null;
  /** Owner instance recorded on the session, if any (another instance's are never captured). */
  readonly instanceId?: string | null | undefined;
  /** Session id recorded on the session, if any. */
  readonly sessionId: string | null;
  /** The session's own tags say the workspace, instance and session id above (tmux). */
  readonly tagged?: boolean | undefined;
  readonly cwd: string;
  /** The variables the session adds to its server's environment (markers excluded). */
  readonly environment: Readonly<Record<string, string>>;
  readonly shellCommand: readonly string[];
  readonly scrollback: string;
  /** Its windows and panes (tmux); absent: the multiplexer gave one pane's worth. */
  readonly windows?: readonly WindowSpec[] | undefined;
}
