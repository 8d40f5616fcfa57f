import { z } from 'zod';
import { Multiplexer } from './checkpoint-spec.js';

/*
 * What the operator (or a host app) can do about a failure, as data: a code plus its
 * arguments, one code per distinct thing to do. The engine never writes advice as prose or as
 * a command line: banner/render-remedy.ts renders a remedy for the CLI (with the workspace's
 * options), a host app renders it as it likes. docs/REMEDIES.md lists every code.
 */

const code = <C extends string>(name: C) => z.literal(name);
const text = z.string();

export const Remedy = z.discriminatedUnion('code', [
  /** Something failed that a new attempt may get past: recover again once it is fixed. */
  z.object({ code: code('rerun_recover') }),
  /** The world is not what a plan assumed: look at the current plan, then recover again. */
  z.object({ code: code('replan') }),
  /** A session's directory is gone: create it again (or checkpoint without the session). */
  z.object({ code: code('create_directory'), path: text, sessionName: text }),
  /** A session's program cannot be started: fix its command in the checkpoint, or install it. */
  z.object({ code: code('fix_shell_command'), sessionName: text }),
  /** A session's command exits as soon as it starts: run it by hand to see why. */
  z.object({ code: code('debug_shell_command'), command: z.array(text), workingDirectory: text }),
  /** A session's command starts elsewhere than asked: something at its start changes directory. */
  z.object({ code: code('check_startup_directory'), command: z.array(text) }),
  /** The state dir cannot be written: free space or fix its permissions. */
  z.object({ code: code('fix_state_dir') }),
  /** A multiplexer failed or could not be observed: check that it responds. */
  z.object({ code: code('check_multiplexer'), backend: Multiplexer }),
  /** A checkpoint entry failed verification: recreate the thing, then checkpoint again. */
  z.object({ code: code('recreate_entry'), label: text }),
  /** A lane's worktree is gone: add it again. */
  z.object({ code: code('recreate_worktree'), repository: text, worktreePath: text, branch: text }),
  /** A repository's worktrees could not be read: check them. */
  z.object({ code: code('check_worktrees'), repository: text }),
  /** A live session that is not this workspace's holds the name: close or rename it. */
  z.object({ code: code('free_session_name'), sessionName: text, backend: Multiplexer }),
  /** A live session lacks panes only a new session can bring back: close it, then recover. */
  z.object({ code: code('restart_session'), sessionName: text, backend: Multiplexer }),
  /** zellij resurrected the session and some of its panes run while others wait to run. */
  z.object({ code: code('settle_resurrected'), sessionName: text }),
  /** Something needs the operator's review (the new item `reviewId`, when one was recorded). */
  z.object({ code: code('review_orphans'), reviewId: text.optional() }),
  /** Cleanup was held back while blind: clean again once everything can be observed. */
  z.object({ code: code('clean_orphans') }),
  /** A review item no longer names anything: dismiss it. */
  z.object({ code: code('dismiss_review'), reviewId: text }),
  /** Approve a review item, letting go of the files named (git-ignored, hidden edits). */
  z.object({
    code: code('approve_review'),
    reviewId: text,
    discardIgnored: z.boolean().optional(),
    discardHiddenEdits: z.boolean().optional(),
  }),
  /** Safe mode is on after a crash loop: leave it once the cause is fixed. */
  z.object({ code: code('exit_safe_mode') }),
  /** No daemon serves the workspace: start one. */
  z.object({ code: code('start_daemon') }),
  /** A request may or may not have been applied: list the desired sessions to see. */
  z.object({ code: code('list_sessions') }),
  /** Nothing was observed over a checkpoint that has sessions: write it anyway if that is meant. */
  z.object({ code: code('force_checkpoint') }),
  /** A unit file of that name is not ours: replace it only if that is meant. */
  z.object({ code: code('force_service_unit') }),
  /** No session was found: write an empty checkpoint if that is meant. */
  z.object({ code: code('allow_empty_checkpoint') }),
  /** An import was refused (a checksum, or sessions it would drop): import it anyway, or elsewhere. */
  z.object({
    code: code('force_import'),
    format: text,
    source: text,
    /** Where the refused import was to be written (`--out`; absent: the state dir). */
    out: text.optional(),
    /** The refusal protects the current checkpoint: writing the import elsewhere also works. */
    elsewhere: z.boolean().optional(),
  }),
  /** A live session of this workspace is not in the checkpoint: prune it, or approve its item. */
  z.object({ code: code('prune_session'), reviewId: text }),
  /** Secret variables were withheld: name the ones to keep after all. */
  z.object({ code: code('allow_env'), names: z.array(text).readonly() }),
]);
export type Remedy = z.infer<typeof Remedy>;
export type RemedyCode = Remedy['code'];

/** A remedy as it is read back from a state file: one this version does not know is dropped. */
export const StoredRemedy = Remedy.optional().catch(undefined);

/**
 * A refusal the operator can act on: the one-line reason (`message`, no command in it) and,
 * when there is one, what to do about it as data.
 */
export class RefusedError extends Error {
  readonly remedy: Remedy | undefined;

  constructor(message: string, remedy?: Remedy) {
    super(message);
    this.name = 'RefusedError';
    this.remedy = remedy;
  }
}
