import { access } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { PANE_MARKER } from '../specs/markers.js';
import { printable } from '../specs/program-restore.js';
import { paneId } from '../specs/session-windows.js';
import { shellQuote } from '../specs/shell-quoting.js';
import type { ClientContext } from './client-context.js';
import type { SessionToCreate } from './multiplexer-clients.js';
import { readProcessEnviron, readProcessTable } from './proc-table.js';
import { zellijMetadataFile } from './zellij-resurrection.js';
import { findZellijServer, runSessionAction } from './zellij-target.js';

/** How long a new session's panes may take to be ready for typing (a loaded machine is slow). */
const READY_WAIT_MS = 10_000;

/**
 * zellij's terminal pane id of each pane of a new session, by the markers in its process's
 * environment: zellij sets `ZELLIJ_PANE_ID`, the launcher `HELIOS_PANE_ID` (ids do not follow
 * the layout's order: zellij numbers the first leaf of every split before the rest).
 */
async function paneIdsOf(ctx: ClientContext, name: string): Promise<Map<string, string>> {
  const processes = await readProcessTable();
  const server = findZellijServer(processes, ctx.zellij, name);
  const ids = new Map<string, string>();
  if (!server) return ids;
  for (const info of processes.filter((p) => p.ppid === server.pid)) {
    const env = await readProcessEnviron(info.pid);
    const ours = env?.[PANE_MARKER];
    const theirs = env?.ZELLIJ_PANE_ID;
    if (ours && theirs && /^\d+$/.test(theirs)) ids.set(ours, theirs);
  }
  return ids;
}

/**
 * Types each saved program into its pane's shell (`write-chars --pane-id terminal_N`), once
 * zellij has written the session's metadata (a client that connects to a server still
 * starting crashes it). A program that cannot be typed is named.
 */
export async function typePrograms(ctx: ClientContext, item: SessionToCreate): Promise<string[]> {
  const programs = item.programs ?? [];
  if (programs.length === 0) return [];
  const name = item.session.sessionName;
  const ready = zellijMetadataFile(ctx.zellij.env, name);
  const deadline = Date.now() + READY_WAIT_MS;
  const exists = () =>
    access(ready).then(
      () => true,
      () => false,
    );
  while (!(await exists()) && Date.now() < deadline) await sleep(25);
  // Never typed into a server that may still be starting: the programs are named instead.
  if (!(await exists()))
    return programs.map(
      (program) =>
        `note: ${printable(program.argv.join(' '))} was not started in pane ${paneId(program.windowIndex, program.paneIndex)} (zellij did not say the session was ready)`,
    );
  // A launcher sets its pane's marker as it execs the shell: each pane gets until the deadline.
  const wanted = programs.map((program) => paneId(program.windowIndex, program.paneIndex));
  let ids = await paneIdsOf(ctx, name);
  while (!wanted.every((pane) => ids.has(pane)) && Date.now() < deadline) {
    await sleep(25);
    ids = await paneIdsOf(ctx, name);
  }
  const problems: string[] = [];
  for (const program of programs) {
    const pane = paneId(program.windowIndex, program.paneIndex);
    const id = ids.get(pane);
    const typed =
      id === undefined
        ? null
        : await runSessionAction(
            ctx.zellij,
            name,
            [
              'write-chars',
              '--pane-id',
              `terminal_${id}`,
              `${program.argv.map(shellQuote).join(' ')}\n`,
            ],
            ctx.timeoutMs,
            ctx.signal,
          );
    if (typed === null || typed.status === 'failed' || typed.exitCode !== 0)
      problems.push(
        `note: ${printable(program.argv.join(' '))} could not be started in pane ${pane}`,
      );
  }
  return problems;
}
