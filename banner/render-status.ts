import { lockHolderText, type WorkspaceStatus } from '../specs/reports.js';
import { commandLine, NO_FLAGS, renderRemedy, type WorkspaceFlags } from './render-remedy.js';

/** `helios-recover status` as text, its commands carrying `flags`. */
export function renderStatusText(
  status: WorkspaceStatus,
  flags: WorkspaceFlags = NO_FLAGS,
): string {
  const cli = (...command: string[]) => `\`${commandLine(command, flags)}\``;
  const lock =
    status.lock.state === 'held' || status.lock.state === 'stalled'
      ? `held by ${lockHolderText(status.lock.record, status.lock.state === 'stalled' ? status.lock.sinceHeartbeatMs : null)}`
      : status.lock.state === 'stale'
        ? `stale: ${status.lock.reason} (a crash; the next recover records it)`
        : 'free';
  const checkpoint =
    'error' in status.checkpoint
      ? `none usable (${status.checkpoint.error})`
      : `generation ${status.checkpoint.generation} of ${status.checkpoint.createdAt}: ${status.checkpoint.sessions} sessions, ${status.checkpoint.lanes} lanes${status.checkpoint.corrupt > 0 ? `, ${status.checkpoint.corrupt} corrupt entries` : ''}`;
  const lines = [
    `Workspace:   ${status.workspaceId}`,
    `State dir:   ${status.stateDir}`,
    `Stage:       ${status.stage ?? 'never recovered'}${status.failureReason ? ` (${status.failureReason})` : ''}`,
    `Incarnation: ${status.incarnation ?? '-'}`,
    `Lock:        ${lock}`,
    `Checkpoint:  ${checkpoint}`,
    `Safe mode:   ${status.safeMode ? `ON since ${status.safeMode.enteredAt} (${status.safeMode.reason}); leave with ${cli('safe-mode', 'exit')}` : 'off'}`,
    `Crashes:     ${status.crashesRecorded} recorded${status.lastCrash ? `, last ${status.lastCrash.detectedAt}: ${status.lastCrash.reason}` : ''}`,
  ];
  const failed = status.lastRun.filter((s) => s.status === 'failed');
  const restored = status.lastRun.filter(
    (s) => s.status === 'reattached' || s.status === 'respawned',
  );
  if (status.lastRun.length > 0)
    lines.push(
      `Last run:    ${restored.length} restored, ${failed.length} failed (of ${status.lastRun.length} acted on)`,
    );
  for (const session of failed) {
    lines.push(`  ✗ ${session.sessionName}  ${session.reason}: ${session.message}`);
    if (session.remedy) lines.push(`    → ${renderRemedy(session.remedy, flags)}`);
  }
  lines.push(
    `Review:      ${status.reviewPending === null ? 'review.json unreadable' : `${status.reviewPending} pending${status.reviewPending > 0 ? ` (${cli('orphans')})` : ''}`}`,
  );
  return `${lines.join('\n')}\n`;
}
