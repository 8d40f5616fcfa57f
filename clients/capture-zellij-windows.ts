import type { WindowSpec } from '../specs/checkpoint-spec.js';
import { firstLine } from './run-command.js';
import { readZellijLayout } from './zellij-dump.js';
import { runSessionAction, type ZellijTarget } from './zellij-target.js';
import { hasTerminalPane, isWaiting, parseListedPanes, windowsOfZellij } from './zellij-windows.js';

export type ZellijWindowsCapture =
  | { readonly ok: true; readonly windows: WindowSpec[] }
  | { readonly ok: false; readonly reason: string };

/**
 * A live zellij session's tabs and panes for a checkpoint: its layout (`action dump-layout`),
 * its panes (`action list-panes --json --all`) and each shell pane's scrollback
 * (`dump-screen --full`). A pane running a program keeps no scrollback: its screen is the
 * program's (a pager's page, an editor's buffer), not the shell's history, and the program
 * redraws itself. A session whose panes wait to run (zellij resurrected it) or that has
 * floating panes is refused with the reason: nothing is recorded that would come back wrong.
 */
export async function captureZellijWindows(
  target: ZellijTarget,
  name: string,
  sessionCwd: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ZellijWindowsCapture> {
  const run = (args: string[]) => runSessionAction(target, name, args, timeoutMs, signal);
  const [layout, listing] = await Promise.all([
    // A busy server may answer with no layout yet: asked again, as an empty pane list is.
    runSessionAction(target, name, ['dump-layout'], timeoutMs, signal, hasLayoutNode),
    // A live session has a terminal pane: a list without one is asked for again.
    runSessionAction(
      target,
      name,
      ['list-panes', '--json', '--all'],
      timeoutMs,
      signal,
      hasTerminalPane,
    ),
  ]);
  for (const [what, result] of [
    ['dump-layout', layout],
    ['list-panes', listing],
  ] as const) {
    if (result.status === 'failed') return { ok: false, reason: `${what}: ${result.reason}` };
    if (result.exitCode !== 0 || /^Session '.*' not found/.test(result.stdout))
      return {
        ok: false,
        reason: `${what}: ${firstLine(result.stderr) || firstLine(result.stdout) || `exit ${result.exitCode}`}`,
      };
  }
  const panes = parseListedPanes(listing.status === 'exited' ? listing.stdout : '');
  if (panes === null)
    return { ok: false, reason: "zellij's pane list is unreadable: not a JSON list" };
  let tabs;
  try {
    tabs = readZellijLayout(layout.status === 'exited' ? layout.stdout : '');
  } catch (error) {
    return {
      ok: false,
      reason: `zellij's layout or pane list is unreadable: ${(error as Error).message}`,
    };
  }
  if (panes.some(isWaiting))
    return {
      ok: false,
      reason:
        'zellij resurrected it and its panes wait to run (press ENTER in them, or recover it)',
    };
  const floating = panes.filter((pane) => !pane.is_plugin && pane.is_floating).length;
  if (floating > 0)
    return {
      ok: false,
      reason: `${floating} floating pane(s), which a checkpoint cannot hold yet`,
    };
  const captured = windowsOfZellij(tabs, panes, sessionCwd);
  if (captured.length === 0) return { ok: false, reason: 'zellij shows no terminal pane in it' };
  const windows = await Promise.all(
    captured.map(async ({ window, paneIds }) => ({
      ...window,
      panes: await Promise.all(
        window.panes.map(async (pane, i) => {
          const id = paneIds[i];
          if (pane.program || id === null || id === undefined) return pane;
          const dump = await run(['dump-screen', '--full', '--pane-id', `terminal_${id}`]);
          const text = dump.status === 'exited' && dump.exitCode === 0 ? dump.stdout : '';
          return { ...pane, scrollback: text.replace(/\s+$/, '') };
        }),
      ),
    })),
  );
  return { ok: true, windows };
}

/** Whether a dump-layout answer holds a layout (a top-level `layout` node), cheaply. */
const hasLayoutNode = (stdout: string): boolean => /^layout\s*\{/m.test(stdout);
