import type { PaneSpec, SessionEntrySpec, WindowSpec } from './checkpoint-spec.js';

/*
 * The one way diff/, actions/ and observers/ read a session's windows and panes: a document
 * that records them (v2) gives them as they are, in index order; one that does not (v1, an
 * import that knows no more) is one window with one pane, the session's own cwd and scrollback.
 */

/** A session's windows in index order, each with its panes in index order. */
export function windowsOf(session: SessionEntrySpec): readonly WindowSpec[] {
  if (!session.windows || session.windows.length === 0)
    return [
      {
        index: 0,
        name: '',
        active: true,
        zoomed: false,
        panes: [
          {
            index: 0,
            workingDirectory: session.workingDirectory,
            active: true,
            scrollback: session.scrollback,
          },
        ],
      },
    ];
  return [...session.windows]
    .sort((a, b) => a.index - b.index)
    .map((window) => ({ ...window, panes: [...window.panes].sort((a, b) => a.index - b.index) }));
}

/**
 * The pane a session shows (the one tmux's session-level `#{pane_pid}` is): the active pane of
 * its active window, else the first.
 */
export function activePaneOf(session: SessionEntrySpec): PaneSpec {
  const windows = windowsOf(session);
  const window = windows.find((w) => w.active) ?? windows[0]!;
  return window.panes.find((pane) => pane.active) ?? window.panes[0]!;
}

/** Every pane of a session with the window it is in, in order. */
export function panesOf(
  session: SessionEntrySpec,
): readonly { readonly window: WindowSpec; readonly pane: PaneSpec }[] {
  return windowsOf(session).flatMap((window) => window.panes.map((pane) => ({ window, pane })));
}

/**
 * The saved panes a live session lacks, given how many panes each of its windows has now: every
 * pane of a window it no longer has, and in a window it has, the saved panes past the ones it
 * still has (tmux numbers panes by position). Windows and panes beyond the saved ones are not
 * the checkpoint's business.
 */
export function panesBeyond(
  session: SessionEntrySpec,
  live: ReadonlyMap<number, number>,
): { windowIndex: number; paneIndex: number }[] {
  return windowsOf(session).flatMap((window) =>
    window.panes
      .slice(live.get(window.index) ?? 0)
      .map((pane) => ({ windowIndex: window.index, paneIndex: pane.index })),
  );
}

/** How many windows and panes a session has. */
export function shapeOf(session: SessionEntrySpec): { windows: number; panes: number } {
  const windows = windowsOf(session);
  return { windows: windows.length, panes: windows.reduce((n, w) => n + w.panes.length, 0) };
}

/** How many windows, panes and saved programs `sessions` hold. */
export function shapeOfSessions(sessions: readonly SessionEntrySpec[]): {
  windows: number;
  panes: number;
  programs: number;
} {
  const panes = sessions.flatMap((session) => panesOf(session));
  return {
    windows: sessions.reduce((n, session) => n + windowsOf(session).length, 0),
    panes: panes.length,
    programs: panes.filter(({ pane }) => pane.program !== undefined).length,
  };
}

/** A name or title as the checkpoint keeps it: no control characters, at most 256 of them. */
export const labelText = (text: string): string => text.replace(/[\p{Cc}]/gu, '').slice(0, 256);

/** A pane as tmux users write it: `api:0.1` (session, window index, pane index). */
export const paneLabel = (sessionName: string, windowIndex: number, paneIndex: number): string =>
  `${sessionName}:${windowIndex}.${paneIndex}`;

/** The id a pane's launcher and ledger entry carry: `0.1` (window index, pane index). */
export const paneId = (windowIndex: number, paneIndex: number): string =>
  `${windowIndex}.${paneIndex}`;

/** The size a tmux layout string gives its window (`5853,160x45,0,0{...}` -> 160 x 45). */
export function layoutSize(layout: string): { width: number; height: number } | null {
  const match = /^[0-9a-f]{4},(\d+)x(\d+),/.exec(layout);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : null;
}
