import type { PaneSpec, SessionEntrySpec } from '../specs/checkpoint-spec.js';
import { panesBeyond, windowsOf } from '../specs/session-windows.js';
import type { ClientContext, StepResult } from './client-context.js';
import { observeTmuxSessions } from './observe-tmux-sessions.js';
import { firstLine } from './run-command.js';
import { armLauncherOf, runTmux } from './tmux-runner.js';
import {
  addPane,
  type PaneToCreate,
  paneEnvironment,
  type ProgramToType,
  readBases,
  targetIn,
  type TmuxBases,
  typeProgram,
} from './tmux-windows.js';

/** What a live session is to get back: its missing panes, their launchers and programs. */
export interface TmuxRepairRequest {
  readonly session: SessionEntrySpec;
  /** The panes to make again, each with the launcher it starts with. */
  readonly panes: readonly PaneToCreate[];
  readonly programs: readonly ProgramToType[];
  /** How many panes each of its windows has now, by window index. */
  readonly live: ReadonlyMap<number, number>;
}

/**
 * The commands that add a live session's missing panes and nothing else: a window it no longer
 * has comes back whole (name, panes, saved layout); a pane missing from a window it has is split
 * off its last pane. The user's panes, focus, zoom and layouts are left as they are.
 */
export function repairCommands(
  request: TmuxRepairRequest,
  bases: TmuxBases,
  envOf: (pane: PaneSpec, windowIndex: number) => Readonly<Record<string, string>>,
): string[][] {
  const { session } = request;
  const at = targetIn(session.sessionName);
  const out: string[][] = [];
  for (const window of windowsOf(session)) {
    const whole = (request.live.get(window.index) ?? 0) === 0;
    let count = request.live.get(window.index) ?? 0;
    for (const pane of window.panes) {
      const made = <T extends { windowIndex: number; paneIndex: number }>(list: readonly T[]) =>
        list.find((p) => p.windowIndex === window.index && p.paneIndex === pane.index);
      const spec = made(request.panes);
      if (!spec) continue;
      const after = count === 0 ? null : bases.pane + count - 1;
      out.push(addPane(at, window, pane, after, envOf(pane, window.index), spec.command));
      const program = made(request.programs);
      if (program) out.push(...typeProgram(at(window.index, bases.pane + count), program.argv));
      count += 1;
    }
    if (whole && count > 0 && window.layout && window.panes.length > 1)
      out.push(['select-layout', '-t', at(window.index), window.layout]);
  }
  return out;
}

/**
 * Adds a live tmux session's missing panes in one call, then observes it again: done only when
 * every window of the checkpoint has at least its saved number of panes.
 */
export async function repairTmuxSession(
  ctx: ClientContext,
  session: SessionEntrySpec,
  missing: readonly { readonly windowIndex: number; readonly paneIndex: number }[],
  prepare: (
    panes: readonly { readonly windowIndex: number; readonly paneIndex: number }[],
  ) => Promise<{ panes: readonly PaneToCreate[]; programs: readonly ProgramToType[] }>,
): Promise<StepResult> {
  const name = session.sessionName;
  // Observed again first: a pane the user has opened since the plan is not made twice.
  const before = await countsOf(ctx, name);
  if (before === null) return { ok: false, reason: `tmux session ${name} is no longer listed` };
  const lacking = panesBeyond(session, before);
  const still = missing.filter((m) =>
    lacking.some((l) => l.windowIndex === m.windowIndex && l.paneIndex === m.paneIndex),
  );
  if (still.length === 0) return { ok: true, message: `tmux session ${name} has its panes` };
  const request: TmuxRepairRequest = { session, ...(await prepare(still)), live: before };
  const bases = await readBases(ctx);
  const commands = repairCommands(request, bases, (pane, w) =>
    paneEnvironment(ctx, session, pane, w),
  );
  await Promise.all(request.panes.map((pane) => armLauncherOf(pane.command)));
  const result = await runTmux(ctx.tmux, commands, ctx);
  if (result.status !== 'exited' || result.exitCode !== 0)
    return {
      ok: false,
      reason: `tmux could not add the missing panes of ${name}: ${result.status === 'exited' ? firstLine(result.stderr) || `exit ${result.exitCode}` : result.reason}`,
    };
  const counts = await countsOf(ctx, name);
  const short = windowsOf(session).filter(
    (window) => (counts?.get(window.index) ?? 0) < window.panes.length,
  );
  if (!counts || short.length > 0)
    return {
      ok: false,
      reason: `added panes to ${name}, but a new observation does not show them (windows ${short.map((w) => w.index).join(', ') || '?'})`,
    };
  return {
    ok: true,
    message: `added ${request.panes.length} missing ${request.panes.length === 1 ? 'pane' : 'panes'} to tmux session ${name}`,
  };
}

/** How many panes each window of live session `name` has, or null when it is not listed. */
async function countsOf(ctx: ClientContext, name: string): Promise<Map<number, number> | null> {
  const seen = await observeTmuxSessions({ tmux: ctx.tmux, timeoutMs: ctx.timeoutMs }, ctx.signal);
  const live = seen.status === 'ok' ? seen.items.find((s) => s.name === name) : undefined;
  return live ? new Map((live.windows ?? []).map((window) => [window.index, window.panes])) : null;
}
