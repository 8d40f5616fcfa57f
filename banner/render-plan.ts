import { describeTerminateTarget } from '../specs/plan-text.js';
import type { Action, Plan } from '../specs/plan.js';
import { paneLabel } from '../specs/session-windows.js';
import { NO_FLAGS, renderRemedy, type WorkspaceFlags } from './render-remedy.js';

const GLYPHS = {
  reattach: '~',
  reinventory: '=',
  respawn: '+',
  repair: '+',
  terminate: '-',
  remove: 'x',
  flag: '?',
  blocked: '!',
} as const;

function subjectOf(action: Action): string {
  switch (action.kind) {
    case 'reinventory':
      return action.lane.worktreePath;
    case 'reattach':
    case 'respawn':
      return `${action.session.sessionName} (${action.backend}) in ${action.session.workingDirectory}`;
    case 'terminate':
      return action.target.type === 'process'
        ? `${action.target.label}, ${action.target.signal} then SIGKILL after 3 s`
        : describeTerminateTarget(action.target);
    case 'repair':
      return `${action.session.sessionName} (${action.backend}): ${action.missing.length} ${action.missing.length === 1 ? 'pane' : 'panes'} missing (${action.missing.map((p) => paneLabel(action.session.sessionName, p.windowIndex, p.paneIndex)).join(', ')})`;
    case 'remove':
      return action.path;
    case 'flag':
      return `review ${action.reviewId}: ${action.detail}`;
  }
}

/**
 * A plan rendered like a terraform plan: one line per action with a glyph, its key, what it
 * acts on and why; blocked items with their remedy (commands carrying `flags`); a count line
 * at the end.
 */
export function renderPlanText(plan: Plan, flags: WorkspaceFlags = NO_FLAGS): string {
  const lines = [
    `Recovery plan for workspace ${plan.workspaceId} (checkpoint generation ${plan.generation}):`,
  ];
  for (const action of plan.actions) {
    const subject = subjectOf(action);
    lines.push(
      `  ${GLYPHS[action.kind]} ${action.kind.padEnd(11)} ${action.key.padEnd(20)} ${subject}  [${action.reason}]`,
    );
    if (action.kind === 'flag' && action.remedy)
      lines.push(`      → ${renderRemedy(action.remedy, flags)}`);
  }
  for (const item of plan.blocked) {
    lines.push(
      `  ${GLYPHS.blocked} ${'fail'.padEnd(11)} ${item.key.padEnd(20)} ${item.message}  [${item.reason}]`,
    );
    lines.push(`      → ${renderRemedy(item.remedy, flags)}`);
  }
  for (const line of plan.unavailable) lines.push(`  ? unavailable: ${line}`);
  const count = (kind: string) => plan.actions.filter((action) => action.kind === kind).length;
  if (plan.actions.length === 0 && plan.blocked.length === 0) {
    lines.push('  No changes. The workspace matches its checkpoint.');
  }
  lines.push(
    `Plan: ${count('reattach')} to reattach, ${count('reinventory')} to reinventory, ${count('respawn')} to respawn, ${count('repair') > 0 ? `${count('repair')} to repair, ` : ''}${plan.blocked.length} cannot be restored.${
      count('terminate') + count('remove') + count('flag') > 0
        ? ` Cleanup: ${count('terminate')} to terminate, ${count('remove')} to remove, ${count('flag')} to flag for review.`
        : ''
    }`,
  );
  return `${lines.join('\n')}\n`;
}
