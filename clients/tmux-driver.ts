import type { MuxSession } from '../specs/actual-state.js';
import type { SessionEntrySpec } from '../specs/checkpoint-spec.js';
import { windowsOf } from '../specs/session-windows.js';
import {
  type ClientContext as ExecutorContext,
  type KillResult,
  type StepResult,
} from './client-context.js';
import { observeTmuxSessions } from './observe-tmux-sessions.js';
import { firstLine } from './run-command.js';
import {
  armLauncherOf,
  batchBySize,
  commandsSize,
  runTmux,
  type SessionTags,
  tagCommands,
  tmuxStep,
} from './tmux-runner.js';
import { exactSession, isNoServer, tmuxFormatLiteral } from './tmux-target.js';
import {
  envFlags,
  type PaneToCreate,
  paneEnvironment,
  type ProgramToType,
  BASES_QUERY,
  parseBases,
  sessionSizeFlags,
  shapeSessions,
  type TmuxBases,
} from './tmux-windows.js';

export type { PaneToCreate, ProgramToType };

export interface TmuxCreateRequest {
  readonly session: SessionEntrySpec;
  /** What the pane runs: the shell command's argv, or `/bin/sh <launcher>` (launch-command.ts). */
  readonly command: readonly string[];
  /** The session's other panes and what each starts with (absent: it has one pane). */
  readonly panes?: readonly PaneToCreate[] | undefined;
  /** Programs to type into their panes' shells once the panes exist. */
  readonly programs?: readonly ProgramToType[] | undefined;
}

/** The tags that bind `session` to this workspace instance and incarnation. */
function tagsOf(ctx: ExecutorContext, session: SessionEntrySpec): SessionTags {
  return {
    workspaceId: ctx.workspaceId,
    instanceId: ctx.instanceId,
    sessionId: session.sessionId,
    incarnation: ctx.incarnation,
  };
}

function createCommands(ctx: ExecutorContext, request: TmuxCreateRequest): string[][] {
  const { session } = request;
  const window = windowsOf(session)[0]!;
  const pane = window.panes[0]!;
  const create = [
    'new-session',
    '-d',
    // tmux expands -s as a format: a `#(...)` in a name must never run.
    '-s',
    tmuxFormatLiteral(session.sessionName),
    ...sessionSizeFlags(session),
    '-c',
    tmuxFormatLiteral(pane.workingDirectory),
    ...envFlags(paneEnvironment(ctx, session, pane, window.index)),
    '--',
    ...request.command,
  ];
  return [create, ...tagCommands(session.sessionName, tagsOf(ctx, session))];
}

/** Binds a live session to this incarnation by tagging it; fails if it is not there. */
export async function bindTmuxSession(
  ctx: ExecutorContext,
  session: SessionEntrySpec,
): Promise<StepResult> {
  return tmuxStep(
    await runTmux(ctx.tmux, tagCommands(session.sessionName, tagsOf(ctx, session)), ctx),
    `reattached tmux session ${session.sessionName}`,
  );
}

/**
 * Creates and tags sessions, batched. The caller planned them from a fresh observation, so
 * nothing is listed first: a name taken meanwhile makes tmux's `new-session` fail ("duplicate
 * session"), and that session converges only if its tags say it is this one of ours (it is bound
 * to this incarnation); anyone else's fails, never adopted silently. When a batch fails, tmux has
 * stopped at the failing command: one listing shows what the batch created (tagged as ours, this
 * incarnation), and the rest is retried one by one to attribute errors.
 */
export async function createTmuxSessions(
  ctx: ExecutorContext,
  requests: readonly TmuxCreateRequest[],
): Promise<StepResult[]> {
  const results = new Map<TmuxCreateRequest, StepResult>();
  const sizeOf = (request: TmuxCreateRequest) => commandsSize(createCommands(ctx, request));
  // Where tmux numbers windows and panes, asked in the same call (its answer ends the output).
  const asksBases = requests.some((request) => request.session.windows !== undefined);
  let bases: TmuxBases | null = null;
  for (const batch of batchBySize(requests, sizeOf)) {
    // The launchers these panes run record themselves once: armed now, right before.
    await Promise.all(batch.map((request) => armLauncherOf(request.command)));
    const batchResult = await runTmux(
      ctx.tmux,
      [
        ...batch.flatMap((request) => createCommands(ctx, request)),
        ...(asksBases ? BASES_QUERY : []),
      ],
      ctx,
    );
    if (batchResult.status === 'exited' && batchResult.exitCode === 0) {
      if (asksBases) bases = parseBases(batchResult.stdout);
      for (const r of batch)
        results.set(r, { ok: true, message: `created tmux session ${r.session.sessionName}` });
      continue;
    }
    const lookup = listingOf(ctx);
    for (const request of batch) results.set(request, await createOne(ctx, request, lookup));
  }
  const made = requests.filter((request) => {
    const result = results.get(request)!;
    return result.ok && result.message.startsWith('created');
  });
  for (const [request, failure] of await shapeSessions(ctx, made, bases))
    results.set(request, failure);
  return requests.map((request) => results.get(request)!);
}

const isOurs = (ctx: ExecutorContext, live: MuxSession, session: SessionEntrySpec) =>
  live.workspaceId === ctx.workspaceId &&
  live.instanceId === ctx.instanceId &&
  live.sessionId === session.sessionId;

/** One request of a failed batch: made by the batch, converged, created alone, or why not. */
async function createOne(
  ctx: ExecutorContext,
  request: TmuxCreateRequest,
  lookup: Lookup,
): Promise<StepResult> {
  const name = request.session.sessionName;
  const created = `created tmux session ${name}`;
  const listed = await lookup(name);
  // Unlisted, it is created alone like an unlisted name: tmux tells whether the name is taken.
  const known = listed === 'unlisted' ? null : listed;
  if (known && isOurs(ctx, known, request.session) && known.incarnation === ctx.incarnation)
    return { ok: true, message: created };
  if (!known) {
    const result = await runTmux(ctx.tmux, createCommands(ctx, request), ctx);
    if (!(result.status === 'exited' && /duplicate session/.test(result.stderr)))
      return tmuxStep(result, created);
  }
  return converge(ctx, request.session, known ?? (await lookup(name, true)));
}

/** A session of that name exists: bound and converged when it is this one of ours, else refused. */
async function converge(
  ctx: ExecutorContext,
  session: SessionEntrySpec,
  live: MuxSession | 'unlisted' | null,
): Promise<StepResult> {
  const name = session.sessionName;
  if (live === 'unlisted' || live === null || !isOurs(ctx, live, session))
    return {
      ok: false,
      reason: `a session named ${name} already exists${live === 'unlisted' ? ' (tmux could not be listed to read its tags)' : ''}`,
    };
  return tmuxStep(
    await runTmux(ctx.tmux, tagCommands(name, tagsOf(ctx, session)), ctx),
    `tmux session ${name} already exists (converged)`,
  );
}

/**
 * A lookup in one listing of the server, taken when first asked (`fresh`: taken anew): the live
 * session `name`, null when there is none, `unlisted` when tmux could not be listed.
 */
type Lookup = (name: string, fresh?: boolean) => Promise<MuxSession | 'unlisted' | null>;

function listingOf(ctx: ExecutorContext): Lookup {
  let listed: Promise<readonly MuxSession[] | null> | undefined;
  return async (name, fresh = false) => {
    if (!listed || fresh)
      listed = observeTmuxSessions({ tmux: ctx.tmux, timeoutMs: ctx.timeoutMs }, ctx.signal).then(
        (observed) => (observed.status === 'ok' ? observed.items : null),
      );
    const sessions = await listed;
    if (sessions === null) return 'unlisted';
    return sessions.find((session) => session.name === name) ?? null;
  };
}

/** Kills a tmux session; "can't find session" or no server at all is already gone. */
export async function killTmuxSession(ctx: ExecutorContext, name: string): Promise<KillResult> {
  const result = await runTmux(ctx.tmux, [['kill-session', '-t', exactSession(name)]], ctx);
  if (result.status === 'failed') return { ok: false, reason: result.reason };
  const gone = /can't find session/.test(result.stderr) || isNoServer(result.stderr);
  if (result.exitCode !== 0 && !gone)
    return {
      ok: false,
      reason: `tmux kill-session ${name}: ${firstLine(result.stderr) || `exit ${result.exitCode}`}`,
    };
  return { ok: true, alreadyGone: result.exitCode !== 0 };
}
