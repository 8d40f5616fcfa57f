import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { PaneToCreate, ProgramToType } from '../clients/tmux-windows.js';
import type { SessionEntrySpec } from '../specs/checkpoint-spec.js';
import { printable, restoreProgram, takesTypedPrograms } from '../specs/program-restore.js';
import { paneLabel, windowsOf } from '../specs/session-windows.js';
import type { LaunchPane } from './launch-command.js';

/** A session's panes beyond its first, its programs, and what is not started again. */
export interface PreparedPanes {
  readonly panes: PaneToCreate[];
  readonly programs: ProgramToType[];
  /** `ssh prod-db in api:0.1`: a saved program that comes back as its pane's shell, and why. */
  readonly notRestarted: string[];
}

/**
 * What a respawn recreates beyond a session's first pane: each other pane with its own
 * launcher (`writeLauncher`), and each saved program the restore table lets run again, typed
 * into its pane's shell so that leaving it leaves the shell. A program is not started in safe
 * mode, nor in a session whose command is not a shell (nothing would read what is typed).
 */
export async function preparePanes(
  session: SessionEntrySpec,
  options: {
    readonly restorePrograms?: readonly string[] | undefined;
    readonly safeMode?: boolean;
  },
  writeLauncher: (pane: LaunchPane) => Promise<readonly string[]>,
  /** Only these panes (a repair), each with a launcher of its own; default: all but the first. */
  only?: readonly { readonly windowIndex: number; readonly paneIndex: number }[],
): Promise<PreparedPanes> {
  const launches: Promise<PaneToCreate>[] = [];
  const programs: ProgramToType[] = [];
  const notRestarted: string[] = [];
  const shell = takesTypedPrograms(session.shellCommand);
  for (const [w, window] of windowsOf(session).entries())
    for (const [p, pane] of window.panes.entries()) {
      const chosen = only?.some(
        (o) => o.windowIndex === window.index && o.paneIndex === pane.index,
      );
      if (only && !chosen) continue;
      // Launchers are written side by side (a session of many panes waits for one write).
      if (only || w > 0 || p > 0)
        launches.push(
          writeLauncher({
            windowIndex: window.index,
            paneIndex: pane.index,
            scrollback: pane.scrollback,
            first: false,
            environment: pane.environment,
          }).then((command) => ({ windowIndex: window.index, paneIndex: pane.index, command })),
        );
      if (!pane.program) continue;
      const where = printable(
        `${pane.program.join(' ')} in ${paneLabel(session.sessionName, window.index, pane.index)}`,
      );
      if (options.safeMode) {
        notRestarted.push(`${where} (safe mode)`);
        continue;
      }
      if (!shell) {
        notRestarted.push(`${where} (its pane does not run a shell that reads POSIX quoting)`);
        continue;
      }
      const decision = restoreProgram(
        pane.program,
        { programs: options.restorePrograms },
        { hasSessionVim: isOwnSessionVim(join(pane.workingDirectory, 'Session.vim')) },
      );
      if (decision.run)
        programs.push({ windowIndex: window.index, paneIndex: pane.index, argv: decision.argv });
      else notRestarted.push(`${where} (${decision.why})`);
    }
  return { panes: await Promise.all(launches), programs, notRestarted };
}

/**
 * A Session.vim that `vim -S` may source: a regular file of this user that no one else can
 * write (it runs as vim script: a planted one must never be loaded).
 */
function isOwnSessionVim(path: string): boolean {
  try {
    const info = lstatSync(path);
    return info.isFile() && info.uid === (process.getuid?.() ?? 0) && (info.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
