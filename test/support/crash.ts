import { readFileSync } from 'node:fs';
import { configure, registerProcess } from '../../controllers/compose.js';
import type { StartedProcess } from '../../controllers/register-process.js';
import { instanceIdOf, shellMarkers } from '../../specs/markers.js';
import { markedProcesses } from './processes.js';
import type { Sandbox } from './sandbox.js';
import { waitFor } from './sandbox.js';
import { tmuxSessions } from './tmux-facts.js';

/** A shell that ignores SIGHUP and SIGTERM (a terminal's leader that outlives its terminal). */
export const STUBBORN_SHELL = ['sh', '-c', 'trap "" HUP TERM; while :; do sleep 1; done'];

/** The marker env helios-recover gives a shell of `sessionId` in this sandbox's state dir. */
export function sandboxMarkers(sandbox: Sandbox, sessionId: string): Record<string, string> {
  return shellMarkers(
    sandbox.workspaceId,
    instanceIdOf(process.getuid?.() ?? 0, sandbox.stateDir),
    sessionId,
  );
}

/** Records a process a test started in the sandbox's ledger, as the host app would. */
export async function registerInSandbox(sandbox: Sandbox, started: StartedProcess): Promise<void> {
  await registerProcess(
    configure({ workspace: sandbox.workspaceId, stateDir: sandbox.stateDir }, process.env),
    started,
  );
}

/** The pid of the sandbox's tmux server. */
export function tmuxServerPid(sandbox: Sandbox): number {
  return Number(sandbox.tmux('display-message', '-p', '#{pid}').trim());
}

/** The crash: SIGKILL to the tmux server (no clean shutdown), then wait until it is gone. */
export async function crashTmux(sandbox: Sandbox): Promise<void> {
  const panes = sandbox
    .tmux('list-panes', '-a', '-F', '#{pane_pid}')
    .split('\n')
    .filter(Boolean)
    .map(Number);
  process.kill(tmuxServerPid(sandbox), 'SIGKILL');
  await waitFor(() => tmuxSessions(sandbox).length === 0, 5_000, 'tmux server gone');
  // The kernel hangs the panes' terminals up a moment after the server's descriptors close:
  // then each pane process has lost its controlling terminal (or is gone).
  await waitFor(() => panes.every(hungUp), 5_000, "the panes' terminals hung up");
}

/** Whether a process has no controlling terminal any more (stat field 7), or is gone. */
function hungUp(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[4] === '0';
  } catch {
    return true;
  }
}

/** Waits until `pid` ignores SIGHUP (a stubborn shell has installed its trap). */
export async function ignoringHangup(pid: number): Promise<void> {
  const ignores = () => {
    try {
      const mask = /^SigIgn:\s+([0-9a-f]+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return mask !== null && (BigInt(`0x${mask[1]}`) & 1n) === 1n;
    } catch {
      return false;
    }
  };
  await waitFor(ignores, 5_000, `pid ${pid} ignoring SIGHUP`);
}

/** Every process carrying this workspace's marker: SIGKILL (tests end with none). */
export async function killMarked(workspaceId: string): Promise<void> {
  for (const pid of await markedProcesses(workspaceId)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
