import type { ActualState } from '../specs/actual-state.js';
import type { DesiredState } from '../specs/desired-state.js';
import type { LiveSessionProcesses, OrphanScan, ScannedProcess } from '../specs/orphans.js';
import { type CleanupAction, type FlagAction, WAVES } from '../specs/plan.js';
import { shortHash } from './fingerprint.js';

/** A temp file younger than this may still be written (PRODUCT.md section 1). */
export const TEMP_FILE_MIN_AGE_MS = 30_000;

export interface OrphanPolicy {
  /** The backend every session is on when forced (`--backend`), else each entry's own. */
  readonly backend?: 'tmux' | 'zellij' | undefined;
}

/** The review id of an item: stable across scans, short enough to type. */
export function reviewIdOf(key: string): string {
  return `r-${shortHash(key).slice(0, 8)}`;
}

function flag(
  key: string,
  subject: FlagAction['subject'],
  reason: FlagAction['reason'],
  detail: string,
): FlagAction {
  return {
    kind: 'flag',
    key,
    wave: WAVES.flag,
    reason,
    reviewId: reviewIdOf(key),
    subject,
    detail,
  };
}

function isPartOfLiveSession(
  candidate: ScannedProcess,
  sessions: readonly LiveSessionProcesses[],
): boolean {
  return sessions.some(
    (session) =>
      session.pids.includes(candidate.pid) ||
      (candidate.sessionId !== null &&
        session.sessionId === candidate.sessionId &&
        session.paneStartTime !== null &&
        candidate.startTime >= session.paneStartTime),
  );
}

/**
 * Wave 4, pure: terminate only what is proven ours and orphaned (marker of this workspace, part
 * of no live session, never pid 1 / ourselves / our ancestors); flag what only looks like ours
 * (name-only, unreadable environ, abandoned lanes) for review; leave other workspaces alone
 * entirely; remove stale temp files. Items already in review are not flagged again.
 */
export function planOrphans(
  desired: DesiredState,
  actual: ActualState,
  scan: OrphanScan,
  policy: OrphanPolicy = {},
): CleanupAction[] {
  const ws = desired.workspaceId;
  const reviewed = new Set(
    scan.review.status === 'ok' ? scan.review.items.map((item) => item.key) : [],
  );
  const actions: CleanupAction[] = [];
  const addFlag = (action: FlagAction) => {
    if (!reviewed.has(action.key)) actions.push(action);
  };
  if (scan.processes.status === 'ok') {
    const shares = new Set(desired.shareWorkers.map((worker) => worker.shareId));
    for (const candidate of scan.processes.items) {
      if (
        scan.protectedPids.includes(candidate.pid) ||
        isPartOfLiveSession(candidate, scan.liveSessions)
      )
        continue;
      const key = `pid:${candidate.pid}@${candidate.startTime}`;
      const label = `pid ${candidate.pid} (${candidate.argv.join(' ').slice(0, 80)})`;
      if (candidate.workspaceId === ws) {
        if (
          candidate.role === 'share-worker' &&
          candidate.shareId !== null &&
          shares.has(candidate.shareId)
        )
          continue;
        const signal = candidate.role === 'shell' ? 'SIGHUP' : 'SIGTERM';
        actions.push({
          kind: 'terminate',
          key,
          wave: WAVES.terminate,
          reason: 'orphan_owned',
          target: {
            type: 'process',
            pid: candidate.pid,
            startTime: candidate.startTime,
            pgid: candidate.pgid,
            signal,
            label,
          },
        });
      } else if (candidate.workspaceId === null) {
        const why = candidate.environReadable
          ? `runs a helios launcher but carries no marker of ${ws}`
          : 'has an unreadable environment';
        addFlag(flag(key, 'process', 'orphan_unproven', `${label} ${why}`));
      }
    }
  }
  const desiredNames = new Set(
    desired.sessions.map((s) => `${policy.backend ?? s.multiplexer}:${s.sessionName}`),
  );
  for (const [backend, observation] of Object.entries(actual.sessions)) {
    if (observation?.status !== 'ok') continue;
    for (const session of observation.items) {
      if (session.state !== 'live' || desiredNames.has(`${backend}:${session.name}`)) continue;
      const key = `stale-session:${backend}:${session.name}`;
      if (session.workspaceId === ws) {
        actions.push({
          kind: 'terminate',
          key,
          wave: WAVES.terminate,
          reason: 'stale_session_owned',
          target: { type: 'session', backend: session.backend, name: session.name },
        });
      } else if (session.workspaceId === null && session.name.startsWith('helios-')) {
        addFlag(
          flag(
            key,
            'session',
            'orphan_unproven',
            `${backend} session ${session.name} is not in the checkpoint and carries no tag of ${ws}`,
          ),
        );
      }
    }
  }
  if (scan.worktrees.status === 'ok') {
    const lanes = new Set(desired.lanes.map((lane) => lane.worktreePath));
    for (const worktree of scan.worktrees.items) {
      if (lanes.has(worktree.path)) continue;
      const state =
        worktree.dirty === false
          ? 'clean'
          : worktree.dirty === true
            ? 'has uncommitted changes'
            : 'state unknown';
      const unpushed =
        worktree.unpushed === null ? '' : `, ${worktree.unpushed} commit(s) on no remote`;
      addFlag(
        flag(
          `lane-abandoned:${worktree.path}`,
          'lane',
          'lane_abandoned',
          `worktree ${worktree.path} (branch ${worktree.branch ?? 'detached'}) is not in the checkpoint; ${state}${unpushed}`,
        ),
      );
    }
  }
  if (actual.tempFiles.status === 'ok') {
    for (const file of actual.tempFiles.items) {
      if (file.ageMs < TEMP_FILE_MIN_AGE_MS || file.hasLiveWriter) continue;
      actions.push({
        kind: 'remove',
        key: `tmp:${file.path}`,
        wave: WAVES.remove,
        reason: 'temp_file_stale',
        path: file.path,
      });
    }
  }
  return actions;
}
