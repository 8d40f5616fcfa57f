import type { MuxSession } from '../specs/actual-state.js';
import type { SessionEntrySpec } from '../specs/checkpoint-spec.js';
import { paneId, panesBeyond, panesOf } from '../specs/session-windows.js';

/**
 * The checkpoint's panes a live session lacks (specs/session-windows.ts panesBeyond). Unknown
 * (not observed, or a checkpoint without windows) is nothing missing.
 */
export function missingPanes(
  session: SessionEntrySpec,
  live: MuxSession,
): { windowIndex: number; paneIndex: number }[] {
  if (!session.windows || !live.windows) return [];
  return panesBeyond(session, new Map(live.windows.map((w) => [w.index, w.panes])));
}

/**
 * The saved panes of a live zellij session of ours whose process is gone: each pane we start
 * carries its marker, so a pane the user closed (or that died) is named exactly. Unknown (not
 * observed, a checkpoint without windows) is nothing lost.
 */
export function lostZellijPanes(session: SessionEntrySpec, live: MuxSession): string[] {
  // No pane carrying a marker (a session made before markers, zellij's own shells) is unknown.
  if (!session.windows || !live.paneMarkers || live.paneMarkers.length === 0) return [];
  const running = new Set(live.paneMarkers);
  return panesOf(session)
    .map(({ window, pane }) => paneId(window.index, pane.index))
    .filter((id) => !running.has(id));
}
