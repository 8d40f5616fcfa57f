import type { Plan } from '../specs/plan.js';

const GLYPHS = { reattach: '~', reinventory: '=', respawn: '+', blocked: '!' } as const;

/**
 * A plan rendered like a terraform plan: one line per action with a glyph, its key, what it
 * acts on and why; blocked items with their suggestion; a count line at the end.
 */
export function renderPlanText(plan: Plan): string {
  const lines = [
    `Recovery plan for workspace ${plan.workspaceId} (checkpoint generation ${plan.generation}):`,
  ];
  for (const action of plan.actions) {
    const subject =
      action.kind === 'reinventory'
        ? action.lane.worktreePath
        : `${action.session.sessionName} (${action.backend}) in ${action.session.workingDirectory}`;
    lines.push(
      `  ${GLYPHS[action.kind]} ${action.kind.padEnd(11)} ${action.key.padEnd(20)} ${subject}  [${action.reason}]`,
    );
  }
  for (const item of plan.blocked) {
    lines.push(
      `  ${GLYPHS.blocked} ${'fail'.padEnd(11)} ${item.key.padEnd(20)} ${item.message}  [${item.reason}]`,
    );
    lines.push(`      → ${item.suggestion}`);
  }
  for (const line of plan.unavailable) lines.push(`  ? unavailable: ${line}`);
  const count = (kind: string) => plan.actions.filter((action) => action.kind === kind).length;
  if (plan.actions.length === 0 && plan.blocked.length === 0) {
    lines.push('  No changes. The workspace matches its checkpoint.');
  }
  lines.push(
    `Plan: ${count('reattach')} to reattach, ${count('reinventory')} to reinventory, ${count('respawn')} to respawn, ${plan.blocked.length} cannot be restored.`,
  );
  return `${lines.join('\n')}\n`;
}
