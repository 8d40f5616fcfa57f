import type { ActualState } from '../specs/actual-state.js';

/**
 * A fingerprint of the parts of the observed state a plan depends on (session names, states and
 * bindings; worktrees; lane bindings; missing paths). Volatile details such as a pane's current
 * directory or a temp file's age are left out. Pure: FNV-1a over a sorted projection.
 */
export function fingerprintActual(actual: ActualState, workspaceId: string): string {
  const lines: string[] = [];
  for (const [backend, observation] of Object.entries(actual.sessions)) {
    if (!observation) continue;
    if (observation.status === 'unavailable') {
      lines.push(`mux ${backend} unavailable`);
      continue;
    }
    for (const s of observation.items) {
      lines.push(
        `mux ${backend} ${s.name} ${s.state} ${s.workspaceId ?? '-'} ${s.sessionId ?? '-'} ${s.incarnation ?? '-'}`,
      );
    }
  }
  for (const [repository, observation] of Object.entries(actual.repositories)) {
    if (observation.status === 'unavailable') {
      lines.push(`repo ${repository} unavailable`);
      continue;
    }
    for (const w of observation.items) {
      lines.push(
        `worktree ${repository} ${w.path} ${w.branch ?? '-'} ${w.prunable ? 'prunable' : 'ok'}`,
      );
    }
  }
  if (actual.laneBindings.status === 'ok') {
    for (const b of actual.laneBindings.items) {
      lines.push(`lane ${b.laneId} ${b.incarnation} ${b.worktreePath} ${b.branch}`);
    }
  } else {
    lines.push('lanes unavailable');
  }
  for (const path of actual.missingPaths) lines.push(`missing ${path}`);
  const scan = actual.orphans;
  if (scan?.processes.status === 'ok') {
    // This workspace's marked processes only: the unmarked members of their groups come and go
    // (a loop's `sleep`), and other workspaces' processes are never acted on.
    for (const p of scan.processes.items)
      if (p.workspaceId === workspaceId) lines.push(`process ${p.pid}@${p.startTime}`);
  }
  if (scan?.worktrees.status === 'ok')
    for (const w of scan.worktrees.items) lines.push(`lane-worktree ${w.path}`);
  return `fnv1a:${shortHash(lines.sort().join('\n'))}`;
}

/** 64 bits of FNV-1a as 16 hex digits (not cryptographic: identity of small projections). */
export function shortHash(text: string): string {
  // Two 32-bit FNV-1a lanes with different offsets give 64 bits of fingerprint.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x01000193) >>> 0;
    b = (b ^ (b >>> 13)) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
