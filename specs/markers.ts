import type { SessionEntrySpec } from './checkpoint-spec.js';
import { createHash } from 'node:crypto';

/**
 * The marker contract (docs/OWNERSHIP.md): every process helios-recover (or the host app)
 * starts carries these variables, and every tmux session it creates these user options. One
 * home for the names, so the writers and the ownership proof can never disagree.
 */
export const MARKER_ENV = {
  workspace: 'HELIOS_WORKSPACE_ID',
  /** Which state dir (and so which user and checkpoint) started the process. */
  instance: 'HELIOS_INSTANCE_ID',
  session: 'HELIOS_SESSION_ID',
  share: 'HELIOS_SHARE_ID',
  role: 'HELIOS_ROLE',
} as const;

export const TMUX_OPTIONS = {
  workspace: '@helios-workspace',
  instance: '@helios-instance',
  session: '@helios-session-id',
  incarnation: '@helios-incarnation',
} as const;

/** The roles a marked process can have: a terminal's PTY leader, or a share worker. */
export type MarkerRole = 'shell' | 'share-worker';

/**
 * The instance of a workspace: its id alone is not enough to say "ours" (the default id is
 * `default` for everyone), so processes also carry a digest of the user and the state dir's real
 * path (symlinks resolved, so every spelling of one dir is one instance). Two state dirs, or two
 * users, sharing a workspace id never claim each other's processes.
 */
export function instanceIdOf(uid: number, realStateDir: string): string {
  const digest = createHash('sha256').update(`${uid}\0${realStateDir}`).digest('hex');
  return `i-${digest.slice(0, 16)}`;
}

/** The marker env of a shell started for `sessionId` of a workspace instance. */
export function shellMarkers(
  workspaceId: string,
  instanceId: string,
  sessionId: string,
): Record<string, string> {
  return {
    [MARKER_ENV.workspace]: workspaceId,
    [MARKER_ENV.instance]: instanceId,
    [MARKER_ENV.session]: sessionId,
    [MARKER_ENV.role]: 'shell',
  };
}

/** The checkpoint env plus the markers (markers win: they prove ownership). */
export function sessionEnvironment(
  owner: { readonly workspaceId: string; readonly instanceId: string },
  session: Pick<SessionEntrySpec, 'environment' | 'sessionId'>,
): Record<string, string> {
  return {
    ...session.environment,
    ...shellMarkers(owner.workspaceId, owner.instanceId, session.sessionId),
  };
}

/** Which pane of its session a pane's process is (`0.1`: window 0, pane 1). */
export const PANE_MARKER = 'HELIOS_PANE_ID';

/** Every marker variable starts so; none may be set by a checkpoint or a request. */
export const MARKER_PREFIX = 'HELIOS_';
export const isMarkerName = (key: string): boolean => key.startsWith(MARKER_PREFIX);
