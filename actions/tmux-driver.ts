import { observeTmuxSessions } from '../observers/observe-tmux-sessions.js';
import { firstLine, runCommand } from '../observers/run-command.js';
import { exactSession, tmuxArgs, tmuxCommand } from '../observers/tmux-target.js';
import type { SessionEntrySpec } from '../specs/checkpoint-spec.js';
import type { ExecutorContext, StepResult } from './executor-context.js';
import { clientEnvironment, sessionEnvironment } from './launch-command.js';

/** Sessions created per tmux call: batching is what makes restoring hundreds fast. */
const BATCH_SIZE = 64;

export interface TmuxCreateRequest {
  readonly session: SessionEntrySpec;
  /** What the pane runs: the shell command's argv, or `/bin/sh <launcher>` (launch-command.ts). */
  readonly command: readonly string[];
}

function tagCommands(ctx: ExecutorContext, session: SessionEntrySpec): string[][] {
  const target = exactSession(session.sessionName);
  return [
    ['set-option', '-t', target, '@helios-workspace', ctx.workspaceId],
    ['set-option', '-t', target, '@helios-session-id', session.sessionId],
    ['set-option', '-t', target, '@helios-incarnation', ctx.incarnation],
  ];
}

function createCommands(ctx: ExecutorContext, request: TmuxCreateRequest): string[][] {
  const { session } = request;
  const env = Object.entries(sessionEnvironment(ctx.workspaceId, session)).flatMap(([k, v]) => [
    '-e',
    `${k}=${v}`,
  ]);
  const create = [
    'new-session',
    '-d',
    '-s',
    session.sessionName,
    '-c',
    session.workingDirectory,
    ...env,
    '--',
    ...request.command,
  ];
  return [create, ...tagCommands(ctx, session)];
}

/** Runs several tmux commands in one client call, separated by `;`. */
async function runTmux(ctx: ExecutorContext, commands: string[][]) {
  const args = commands.flatMap((command, i) => (i === 0 ? command : [';', ...command]));
  return runCommand(tmuxCommand(ctx.tmux), tmuxArgs(ctx.tmux, args), {
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    env: clientEnvironment(process.env),
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
  for (let start = 0; start < todo.length; start += BATCH_SIZE) {
    const batch = todo.slice(start, start + BATCH_SIZE);
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
export async function listTmuxSessionNames(ctx: ExecutorContext): Promise<Set<string> | null> {
  const observed = await observeTmuxSessions(
    { tmux: ctx.tmux, timeoutMs: ctx.timeoutMs },
    ctx.signal,
  );
  return observed.status === 'ok' ? new Set(observed.items.map((session) => session.name)) : null;
}
