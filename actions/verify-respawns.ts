import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { clientFor } from '../clients/multiplexer-clients.js';
import {
  isWaitingForInput,
  readProcessCwd,
  readProcessEnviron,
  readProcessEnvironSync,
  readProcessSync,
} from '../clients/proc-table.js';
import type { SessionEntrySpec } from '../specs/checkpoint-spec.js';
import { MARKER_ENV, PANE_MARKER } from '../specs/markers.js';
import { activePaneOf, paneId, panesOf } from '../specs/session-windows.js';
import type { Remedy } from '../specs/remedies.js';
import type { ExecutorContext } from './executor-context.js';

/**
 * How long a new pane must survive before its respawn counts (a failing command exits first),
 * unless its program shows sooner that it waits for its user (isWaitingForInput).
 */
export const SETTLE_MS = 300;
/** How often the panes are looked at while they settle. */
const SETTLE_POLL_MS = 10;
/** How long a live pane may take to show its markers (its launcher still running). */
const MARKER_WAIT_MS = 3_000;

/** A respawn that the world does not show: why, in one line, and what to do. */
export interface Unverified {
  readonly reason: 'exited_immediately' | 'wrong_cwd' | 'markers_missing' | 'unverified';
  readonly message: string;
  readonly remedy: Remedy;
}

const commandText = (session: SessionEntrySpec) => session.shellCommand.join(' ');

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Why a session's command cannot be started, or null: an empty command, a path that is not an
 * executable file, or a name not found on the PATH the pane will have. Checked before anything
 * is created, so a typo never costs a session that "restored" and died.
 */
export async function commandProblem(
  session: SessionEntrySpec,
  basePath: string | undefined,
): Promise<string | null> {
  const [program] = session.shellCommand;
  if (!program) return 'the session has an empty shell command';
  if (program.includes('/'))
    return (await isExecutableFile(program)) ? null : `${program} is not an executable file`;
  const path = session.environment.PATH ?? basePath ?? '';
  for (const dir of path.split(delimiter).filter(Boolean))
    if (await isExecutableFile(join(dir, program))) return null;
  return `${program} is not found on PATH`;
}

type Listings = Map<
  SessionEntrySpec['multiplexer'],
  Awaited<ReturnType<ReturnType<typeof clientFor>['list']>>
>;

/**
 * The proof of survival: lists the created sessions once, then watches their pane programs in
 * /proc until each carries its markers and waits for its user (it started, and cannot exit
 * before someone types), or until SETTLE_MS have passed since `started` (a program that never
 * reads its terminal, a command that fails). The first listing stands while every pane it
 * showed still runs; otherwise they are listed again, once the window has passed.
 */
async function settle(
  ctx: ExecutorContext,
  sessions: readonly SessionEntrySpec[],
  started: number,
): Promise<Listings> {
  const backends = [...new Set(sessions.map((s) => s.multiplexer))];
  const list = async (): Promise<Listings> =>
    new Map(
      await Promise.all(
        backends.map(async (b) => [b, await clientFor(b).list(ctx, ctx.signal)] as const),
      ),
    );
  const first = await list();
  const pidOf = (session: SessionEntrySpec): number | null => {
    const listing = first.get(session.multiplexer);
    if (listing?.status !== 'ok') return null;
    const live = listing.items.find((s) => s.name === session.sessionName && s.state === 'live');
    return live?.panePid ?? null;
  };
  const waiting = (session: SessionEntrySpec): boolean => {
    const pid = pidOf(session);
    return (
      pid !== null &&
      readProcessEnvironSync(pid)?.[MARKER_ENV.session] === session.sessionId &&
      isWaitingForInput(pid)
    );
  };
  for (;;) {
    if (sessions.every(waiting)) return first;
    const left = started + SETTLE_MS - Date.now();
    if (left <= 0 || ctx.signal?.aborted) break;
    await sleep(Math.min(SETTLE_POLL_MS, left));
  }
  const stillRunning = sessions.every((session) => {
    const pid = pidOf(session);
    return pid !== null && readProcessSync(pid) !== null;
  });
  return stillRunning ? first : list();
}

/**
 * Verify after apply: waits until the panes settle (settle()), observes again, and keeps a created session only when its
 * multiplexer lists it live, its pane process runs with this session's markers in the checkpoint
 * cwd. A session whose command already exited is removed (nothing of it is left to reattach).
 * Returns the problems by session name.
 */
export async function verifyRespawns(
  ctx: ExecutorContext,
  sessions: readonly SessionEntrySpec[],
): Promise<Map<string, Unverified>> {
  const problems = new Map<string, Unverified>();
  if (sessions.length === 0) return problems;
  const started = Date.now();
  const listings = await settle(ctx, sessions, started);
  await Promise.all(
    sessions.map(async (session) => {
      const listing = listings.get(session.multiplexer)!;
      const retry: Remedy = { code: 'rerun_recover' };
      if (listing.status === 'unavailable') {
        problems.set(session.sessionName, {
          reason: 'unverified',
          message: `created, but ${session.multiplexer} could not be observed to confirm it: ${listing.reason}`,
          remedy: retry,
        });
        return;
      }
      const live = listing.items.find((s) => s.name === session.sessionName && s.state === 'live');
      // A launcher sets the markers and exec's the command a moment after the pane starts (later
      // on a loaded machine): the pane gets until MARKER_WAIT_MS to show them, then is judged.
      const pid = live?.panePid ?? null;
      const deadline = Date.now() + MARKER_WAIT_MS;
      let current = pid === null ? null : await readProcessEnviron(pid);
      while (
        current &&
        current[MARKER_ENV.session] !== session.sessionId &&
        Date.now() < deadline
      ) {
        await sleep(50);
        current = await readProcessEnviron(pid!);
      }
      if (current === null) {
        problems.set(session.sessionName, {
          reason: 'exited_immediately',
          message: `\`${commandText(session)}\` exited within ${Date.now() - started} ms of starting`,
          remedy: {
            code: 'debug_shell_command',
            command: [...session.shellCommand],
            workingDirectory: session.workingDirectory,
          },
        });
        // Nothing of it is left to reattach: a session whose pane is gone is removed.
        if (live) await clientFor(session.multiplexer).kill(ctx, session.sessionName);
        return;
      }
      if (current[MARKER_ENV.session] !== session.sessionId) {
        problems.set(session.sessionName, {
          reason: 'markers_missing',
          message: `its pane process ${pid} does not carry ${MARKER_ENV.session}=${session.sessionId}`,
          remedy: retry,
        });
        return;
      }
      // The pane the process says it is (its launcher's marker), else the pane the session
      // shows: the saved active pane (tmux makes its windows and panes first).
      const named = panesOf(session).find(
        ({ window, pane }) => paneId(window.index, pane.index) === current[PANE_MARKER],
      );
      const expected =
        named?.pane.workingDirectory ??
        (session.multiplexer === 'tmux'
          ? activePaneOf(session).workingDirectory
          : session.workingDirectory);
      const cwd = await readProcessCwd(pid!);
      if (cwd !== expected)
        problems.set(session.sessionName, {
          reason: 'wrong_cwd',
          message: `its pane runs in ${cwd ?? 'an unreadable directory'}, not ${expected}`,
          remedy: { code: 'check_startup_directory', command: [...session.shellCommand] },
        });
    }),
  );
  return problems;
}
