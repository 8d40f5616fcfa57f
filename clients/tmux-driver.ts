import { observeTmuxSessions } from './observe-tmux-sessions.js';
import { firstLine, runCommand } from './run-command.js';
import {
  exactSession,
  isNoServer,
  tmuxArgs,
  tmuxCommand,
  tmuxFormatLiteral,
} from './tmux-target.js';
import type { SessionEntrySpec } from '../specs/checkpoint-spec.js';
import { TMUX_OPTIONS } from '../specs/markers.js';
import {
  type ClientContext as ExecutorContext,
  clientEnvironment,
  type KillResult,
  type StepResult,
} from './client-context.js';
import { sessionEnvironment } from '../specs/markers.js';

/**
 * Batching is what makes restoring hundreds of sessions fast, but a tmux client refuses a
 * command line over its message size (16 KiB: "command too long"): batches are cut by size.
 */
const BATCH_MAX_SESSIONS = 64;
const BATCH_MAX_BYTES = 12_000;

/** Splits requests into batches whose tmux command lines stay under the size limit. */
export function batchBySize<T>(items: readonly T[], sizeOf: (item: T) => number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (
      current.length > 0 &&
      (current.length >= BATCH_MAX_SESSIONS || bytes + size > BATCH_MAX_BYTES)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export interface TmuxCreateRequest {
  readonly session: SessionEntrySpec;
  /** What the pane runs: the shell command's argv, or `/bin/sh <launcher>` (launch-command.ts). */
  readonly command: readonly string[];
}

function tagCommands(ctx: ExecutorContext, session: SessionEntrySpec): string[][] {
  const target = exactSession(session.sessionName);
  return [
    ['set-option', '-t', target, TMUX_OPTIONS.workspace, ctx.workspaceId],
    ['set-option', '-t', target, TMUX_OPTIONS.instance, ctx.instanceId],
    ['set-option', '-t', target, TMUX_OPTIONS.session, session.sessionId],
    ['set-option', '-t', target, TMUX_OPTIONS.incarnation, ctx.incarnation],
  ];
}

function createCommands(ctx: ExecutorContext, request: TmuxCreateRequest): string[][] {
  const { session } = request;
  const env = Object.entries(sessionEnvironment(ctx, session)).flatMap(([k, v]) => [
    '-e',
    `${k}=${v}`,
  ]);
  const create = [
    'new-session',
    '-d',
    '-s',
    session.sessionName,
    '-c',
    tmuxFormatLiteral(session.workingDirectory),
    ...env,
    '--',
    ...request.command,
  ];
  return [create, ...tagCommands(ctx, session)];
}

/** Runs several tmux commands in one client call, separated by `;`. */
async function runTmux(ctx: ExecutorContext, commands: string[][]) {
  return runCommand(tmuxCommand(ctx.tmux), tmuxArgs(ctx.tmux, ...commands), {
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    env: clientEnvironment(ctx.env),
  });
}

function toStep(result: Awaited<ReturnType<typeof runTmux>>, success: string): StepResult {
  if (result.status === 'failed') return { ok: false, reason: result.reason };
  if (result.exitCode === 0) return { ok: true, message: success };
  return { ok: false, reason: firstLine(result.stderr) || `tmux exited ${result.exitCode}` };
}

/** Binds a live session to this incarnation by tagging it; fails if it is not there. */
export async function bindTmuxSession(
  ctx: ExecutorContext,
  session: SessionEntrySpec,
): Promise<StepResult> {
  return toStep(
    await runTmux(ctx, tagCommands(ctx, session)),
    `reattached tmux session ${session.sessionName}`,
  );
}

/**
 * Creates and tags sessions, batched. A name that is already taken fails at once (it appeared
 * after the plan: never adopted silently). When a batch fails, tmux has stopped at the failing
 * command: what this batch created is tagged, the rest is retried one by one to attribute errors.
 */
export async function createTmuxSessions(
  ctx: ExecutorContext,
  requests: readonly TmuxCreateRequest[],
): Promise<StepResult[]> {
  const before = (await listTmuxSessionNames(ctx)) ?? new Set<string>();
  const results = new Map<TmuxCreateRequest, StepResult>();
  const todo = requests.filter((request) => {
    const taken = before.has(request.session.sessionName);
    if (taken)
      results.set(request, {
        ok: false,
        reason: `a session named ${request.session.sessionName} already exists`,
      });
    return !taken;
  });
  const sizeOf = (request: TmuxCreateRequest) =>
    createCommands(ctx, request)
      .flat()
      .reduce((sum, arg) => sum + Buffer.byteLength(arg) + 4, 8);
  for (const batch of batchBySize(todo, sizeOf)) {
    const batchResult = await runTmux(
      ctx,
      batch.flatMap((request) => createCommands(ctx, request)),
    );
    if (batchResult.status === 'exited' && batchResult.exitCode === 0) {
      for (const r of batch)
        results.set(r, { ok: true, message: `created tmux session ${r.session.sessionName}` });
      continue;
    }
    const existing = (await listTmuxSessionNames(ctx)) ?? new Set<string>();
    for (const request of batch) {
      const name = request.session.sessionName;
      const commands = existing.has(name)
        ? tagCommands(ctx, request.session)
        : createCommands(ctx, request);
      results.set(request, toStep(await runTmux(ctx, commands), `created tmux session ${name}`));
    }
  }
  return requests.map((request) => results.get(request)!);
}

/** Names of the live tmux sessions, or null when tmux cannot be asked. */
async function listTmuxSessionNames(ctx: ExecutorContext): Promise<Set<string> | null> {
  const observed = await observeTmuxSessions(
    { tmux: ctx.tmux, timeoutMs: ctx.timeoutMs },
    ctx.signal,
  );
  return observed.status === 'ok' ? new Set(observed.items.map((session) => session.name)) : null;
}

/** Kills a tmux session; "can't find session" or no server at all is already gone. */
export async function killTmuxSession(ctx: ExecutorContext, name: string): Promise<KillResult> {
  const result = await runCommand(
    tmuxCommand(ctx.tmux),
    tmuxArgs(ctx.tmux, ['kill-session', '-t', exactSession(name)]),
    { timeoutMs: ctx.timeoutMs, signal: ctx.signal, env: clientEnvironment(ctx.env) },
  );
  if (result.status === 'failed') return { ok: false, reason: result.reason };
  const gone = /can't find session/.test(result.stderr) || isNoServer(result.stderr);
  if (result.exitCode !== 0 && !gone)
    return {
      ok: false,
      reason: `tmux kill-session ${name}: ${firstLine(result.stderr) || `exit ${result.exitCode}`}`,
    };
  return { ok: true, alreadyGone: result.exitCode !== 0 };
}
