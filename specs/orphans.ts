import type { Multiplexer } from './checkpoint-spec.js';
import type { Observation } from './actual-state.js';
import type { ReviewRecord } from './state-files.js';
import type { LedgerEntry } from './ledger.js';

export type { ReviewRecord };

/** A temp file of the state dir younger than this may still be being written: never stale. */
export const TEMP_FILE_MIN_AGE_MS = 30_000;

/**
 * A process the orphan scan looked at: it is in the ledger, carries a helios marker or names our
 * launcher, or shares a process group or session with one that does (marked or not).
 */
export interface ScannedProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** Session id: a terminal's PTY leader leads its own session (sid === pid). */
  readonly sid: number;
  /** Owner uid (-1 when real, effective and saved uids differ). */
  readonly uid: number;
  /** /proc/PID/stat field 22: with the pid, the identity that fences against pid reuse. */
  readonly startTime: number;
  readonly argv: readonly string[];
  /** False when /proc/PID/environ could not be read: ownership cannot be proven. */
  readonly environReadable: boolean;
  readonly workspaceId: string | null;
  /** `HELIOS_INSTANCE_ID`: which state dir and user started it (null: an older or foreign starter). */
  readonly instanceId: string | null;
  readonly sessionId: string | null;
  readonly shareId: string | null;
  readonly role: string | null;
}

/** A live multiplexer session's processes: what is part of it is never an orphan. */
export interface LiveSessionProcesses {
  readonly backend: Multiplexer;
  readonly name: string;
  readonly sessionId: string | null;
  /** The server process (zellij) and the pane process with all its descendants. */
  readonly pids: readonly number[];
  /** Start time of the pane process: marker processes of this session started later are its own. */
  readonly paneStartTime: number | null;
}

/** A worktree under `<repo>/.helios-worktrees/`, with what removing it would lose. */
export interface ScannedWorktree {
  readonly repository: string;
  readonly path: string;
  readonly laneId: string;
  readonly branch: string | null;
  /** The commit it is on (null: unborn or unreadable): with the path, which worktree it is. */
  readonly head: string | null;
  /** Uncommitted changes or untracked files (null: could not tell, treated as dirty). */
  readonly dirty: boolean | null;
  /**
   * Everything removing it would lose, whatever the repository's `status.*` settings hide:
   * changed and untracked paths, git-ignored entries, and files on disk whose skip-worktree or
   * assume-unchanged bit hides their edits from git status (null: could not tell).
   */
  readonly contents: {
    readonly changed: readonly string[];
    readonly ignored: readonly string[];
    readonly skipWorktree: readonly string[];
    readonly assumeUnchanged: readonly string[];
  } | null;
  /** Commits on no remote (null: could not tell). */
  readonly unpushed: number | null;
}

/** One process of the machine's process table, marked or not. */
export interface ProcessEdge {
  readonly pid: number;
  readonly ppid: number;
  /** Its process group and session: who a group signal would reach. */
  readonly pgid: number;
  readonly sid: number;
  /** With the pid, which process it is (a share worker's host is alive only as itself). */
  readonly startTime: number;
}

/** What the orphan scan saw, for wave 4. Plain data; the diff decides. */
export interface OrphanScan {
  readonly processes: Observation<ScannedProcess>;
  /** The whole process tree (pid -> parent), for the "live anywhere" ancestry check. */
  readonly tree: readonly ProcessEdge[];
  /**
   * Every session holder on the machine (tmux, zellij, screen, dtach, ... of any user and socket:
   * specs/session-holders.ts): everything below one is live work.
   */
  readonly sessionHolders: readonly number[];
  /** What this instance started, by pid and start time: the only proof of ownership. */
  readonly ledger: Observation<LedgerEntry>;
  /** Who runs the scan: only processes of this uid can be ours. */
  readonly uid: number;
  readonly liveSessions: readonly LiveSessionProcesses[];
  /** pid 1, this process and its ancestors: never touched. */
  readonly protectedPids: readonly number[];
  readonly worktrees: Observation<ScannedWorktree>;
  readonly review: Observation<ReviewRecord>;
  /** The state dir: a process naming it on its command line looks like ours (name-only). */
  readonly stateDir: string;
}

/** The children of every pid in a process tree. */
export function childrenOf(edges: readonly ProcessEdge[]): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of edges) {
    const siblings = children.get(ppid);
    if (siblings) siblings.push(pid);
    else children.set(ppid, [pid]);
  }
  return children;
}

/** `roots` and all their descendants. */
export function descendantsFrom(
  roots: readonly number[],
  children: ReadonlyMap<number, readonly number[]>,
): Set<number> {
  const found = new Set<number>();
  const queue = [...roots];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    if (found.has(pid)) continue;
    found.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}
