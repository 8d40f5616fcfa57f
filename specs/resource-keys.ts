import type { Multiplexer } from './checkpoint-spec.js';

/**
 * Pairing keys: the one place that builds them and the one place that reads them back. A key
 * names a resource across the plan, outcomes, the review list and the saved plan, so its text
 * must never change shape in one place only.
 */
export type ResourceKey =
  /** A checkpoint session; `#index` when even its id could not be read. */
  | { readonly type: 'session'; readonly sessionId: string }
  | { readonly type: 'lane'; readonly laneId: string }
  /** A process, fenced by its start time (stat field 22). */
  | { readonly type: 'pid'; readonly pid: number; readonly startTime: number }
  /** A live tagged session that no checkpoint entry wants. */
  | { readonly type: 'stale-session'; readonly backend: Multiplexer; readonly name: string }
  /** A lane worktree that no checkpoint lane names. */
  | { readonly type: 'lane-abandoned'; readonly path: string }
  /** A temp file of the state dir. */
  | { readonly type: 'tmp'; readonly path: string }
  /** The windows and panes of a checkpoint session, beyond the session itself. */
  | { readonly type: 'panes'; readonly sessionId: string };

export const sessionKey = (sessionId: string): string => `session:${sessionId}`;
export const laneKey = (laneId: string): string => `lane:${laneId}`;
export const panesKey = (sessionId: string): string => `panes:${sessionId}`;
export const pidKey = (pid: number, startTime: number): string => `pid:${pid}@${startTime}`;
export const staleSessionKey = (backend: Multiplexer, name: string): string =>
  `stale-session:${backend}:${name}`;
export const abandonedLaneKey = (path: string): string => `lane-abandoned:${path}`;
export const tempFileKey = (path: string): string => `tmp:${path}`;
/** The key of a checkpoint entry of `kind`, by id, or by position when the id is unreadable. */
export const entryKey = (kind: string, id: string | null, index: number): string =>
  id === null ? `${kind}:#${index}` : `${kind}:${id}`;

/** Reads a key back; null for text no builder above makes. */
export function parseResourceKey(key: string): ResourceKey | null {
  const colon = key.indexOf(':');
  if (colon < 0) return null;
  const type = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  switch (type) {
    case 'session':
      return rest ? { type, sessionId: rest } : null;
    case 'lane':
      return rest ? { type, laneId: rest } : null;
    case 'panes':
      return rest ? { type, sessionId: rest } : null;
    case 'pid': {
      const match = /^([1-9][0-9]*)@([0-9]+)$/.exec(rest);
      return match ? { type, pid: Number(match[1]), startTime: Number(match[2]) } : null;
    }
    case 'stale-session': {
      const sep = rest.indexOf(':');
      const backend = rest.slice(0, sep);
      const name = rest.slice(sep + 1);
      if (sep < 0 || (backend !== 'tmux' && backend !== 'zellij') || !name) return null;
      return { type, backend, name };
    }
    case 'lane-abandoned':
    case 'tmp':
      return rest.startsWith('/') ? { type, path: rest } : null;
    default:
      return null;
  }
}

/** The session id of a `session:` key, or null for any other key. */
export function sessionIdOfKey(key: string): string | null {
  const parsed = parseResourceKey(key);
  return parsed?.type === 'session' ? parsed.sessionId : null;
}
