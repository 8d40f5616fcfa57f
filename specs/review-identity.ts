import { z } from 'zod';

/*
 * What a review item was when the operator saw it. A key names a resource (a session by its
 * name, a lane by its path); an identity says which one of the things that could carry that
 * name it was, so `orphans approve` acts only on the thing that was reviewed and a look-alike
 * that took its name since is a new item. Texts and comparisons: `identity-text.ts`.
 */

const Pid = z.number().int().positive();
const StartTime = z.number().int().nonnegative();

/** A pane's process: pid fenced by its /proc start time (null: it could not be read). */
export const PaneIdentity = z.object({ pid: Pid, startTime: StartTime.nullable() }).readonly();
export type PaneIdentity = z.infer<typeof PaneIdentity>;

/** A live multiplexer session, as far as the multiplexer and /proc tell it apart. */
export const SessionIdentity = z
  .object({
    type: z.literal('session'),
    /** The server process serving it, with its /proc start time. */
    serverPid: Pid.nullable(),
    serverStartTime: StartTime.nullable(),
    /** tmux `#{session_created}` (epoch seconds); null on zellij, one server per session. */
    createdAt: z.number().int().nonnegative().nullable(),
    /** Every pane's process, ordered by pid. */
    panes: z.array(PaneIdentity).readonly(),
    /** The (active) pane's working directory. */
    cwd: z.string().nullable(),
  })
  .readonly();
export type SessionIdentity = z.infer<typeof SessionIdentity>;

/**
 * A lane worktree (its path is in the key): the commit it is on, and every file removing it
 * would lose, whatever the repository's `status.*` settings hide.
 */
export const LaneIdentity = z
  .object({
    type: z.literal('lane'),
    head: z.string().nullable(),
    branch: z.string().nullable(),
    /** False when git could not be read: nothing below is known. */
    known: z.boolean(),
    /** Uncommitted changes and untracked files, at most the first few (never removed). */
    changed: z.array(z.string()).readonly(),
    changedCount: z.number().int().nonnegative(),
    /** git-ignored files and directories: removed only with the operator's consent. */
    ignored: z.array(z.string()).readonly(),
    /** Files with the skip-worktree bit, on disk: their edits are invisible to git status. */
    skipWorktree: z.array(z.string()).readonly(),
    /** Files marked assume-unchanged: their edits are invisible to git status. */
    assumeUnchanged: z.array(z.string()).readonly(),
  })
  .readonly();
export type LaneIdentity = z.infer<typeof LaneIdentity>;

export const ReviewIdentity = z.discriminatedUnion('type', [SessionIdentity, LaneIdentity]);
export type ReviewIdentity = z.infer<typeof ReviewIdentity>;
