import { configure, registerProcess } from '../../controllers/compose.js';
import type { StartedProcess } from '../../controllers/register-process.js';
import { instanceIdOf, shellMarkers } from '../../specs/markers.js';
import { markedProcesses } from './processes.js';
import type { Sandbox } from './sandbox.js';
import { sleep, waitFor } from './sandbox.js';
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
  process.kill(tmuxServerPid(sandbox), 'SIGKILL');
  await waitFor(() => tmuxSessions(sandbox).length === 0, 5_000, 'tmux server gone');
  await sleep(200); // the kernel hangs up the panes' terminals
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
