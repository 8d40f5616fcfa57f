import { firstLine } from './run-command.js';
import { runZellij, type ZellijTarget } from './zellij-target.js';

interface ListedPane {
  readonly id: number;
  readonly is_plugin: boolean;
  readonly is_floating?: boolean;
  readonly tab_position?: number;
}

/** The first terminal pane of the first tab (the one helios-recover creates), else terminal_0. */
export function firstTerminalPane(listing: string): string {
  try {
    const panes = (JSON.parse(listing) as ListedPane[])
      .filter((pane) => !pane.is_plugin)
      .sort(
        (a, b) =>
          (a.tab_position ?? 0) - (b.tab_position ?? 0) ||
          Number(a.is_floating ?? false) - Number(b.is_floating ?? false) ||
          a.id - b.id,
      );
    if (panes[0]) return `terminal_${panes[0].id}`;
  } catch {
    // an older zellij without `list-panes --json`
  }
  return 'terminal_0';
}

/**
 * The scrollback of a live zellij session's first terminal pane, as plain text
 * (`action dump-screen --full --pane-id terminal_N`, zellij 0.44+; it works on detached
 * sessions). Empty with a reason when it cannot be read.
 */
export async function captureZellijScrollback(
  target: ZellijTarget,
  name: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ text: string; problem: string | null }> {
  const run = (args: string[]) =>
    runZellij(target, ['--session', name, 'action', ...args], { timeoutMs, signal });
  const panes = await run(['list-panes', '--json']);
  const pane =
    panes.status === 'exited' && panes.exitCode === 0
      ? firstTerminalPane(panes.stdout)
      : 'terminal_0';
  const dump = await run(['dump-screen', '--full', '--pane-id', pane]);
  if (dump.status === 'failed') return { text: '', problem: dump.reason };
  // An unknown session is reported on stdout with exit 0.
  if (dump.exitCode !== 0 || /^Session '.*' not found/.test(dump.stdout))
    return {
      text: '',
      problem: `dump-screen of ${name}: ${firstLine(dump.stderr) || firstLine(dump.stdout) || `exit ${dump.exitCode}`}`,
    };
  return { text: dump.stdout.replace(/\s+$/, ''), problem: null };
}
