import { hostname } from 'node:os';
import { join } from 'node:path';
import { sealCheckpoint } from '../specs/checkpoint-codec.js';
import type { DesiredState } from '../specs/desired-state.js';
import {
  MAX_KEEP_AGE_MS,
  MAX_KEEP_COUNT,
  parseDuration,
  type Retention,
  snapshotNameProblem,
} from '../specs/checkpoint-retention.js';
import {
  loadNewestCheckpoint,
  nextGeneration,
  writeCheckpoint,
} from '../store/checkpoint-store.js';
import {
  CURRENT,
  linkSnapshot,
  numberedFile,
  readCheckpointFile,
  readRetention,
  snapshotFile,
  writeRetention,
  writtenAt,
} from '../store/checkpoint-generations.js';
import { ensureTrustedDir } from '../store/private-dir.js';
import { resolveGeneration } from './generations.js';
import type { WorkspaceConfig } from './workspace-config.js';

/*
 * What changes a workspace's generations: a rollback (written as the next generation), a named
 * snapshot, the retention policy; and picking sessions: the restriction of a desired state to
 * named sessions, the names a generation holds.
 */

const unsealed = <T extends { checksum: string }>({ checksum: _checksum, ...rest }: T) => rest;

/**
 * Writes generation `ref` (a number or a snapshot name) again as the next generation, so that
 * recover, plan, status and the daemon all take it as the newest. With `sessions`, only those
 * sessions are taken from it, into the newest valid checkpoint (each replaces the entry of its
 * name; the lanes they need come along). The generations rolled back over stay as they were.
 */
export async function rollBack(
  config: WorkspaceConfig,
  ref: string,
  sessions: readonly string[] = [],
  now: () => number = Date.now,
): Promise<{ ok: true; generation: number; from: number } | { ok: false; reason: string }> {
  const resolved = await resolveGeneration(config, ref);
  if (!resolved.ok) return resolved;
  let content: DesiredState = resolved.desired;
  if (sessions.length > 0) {
    const picked = onlySessions(resolved.desired, sessions, resolved.label);
    if (!picked.ok) return picked;
    const newest = await loadNewestCheckpoint(config.stateDir);
    content = newest.ok ? mergeSessions(newest.desired, picked.desired) : picked.desired;
    if (newest.ok && newest.desired.corrupt.length > 0)
      return {
        ok: false,
        reason: `the newest checkpoint has corrupt entries (${newest.desired.corrupt.map((c) => c.key).join(', ')}): take the whole ${resolved.label} instead`,
      };
  }
  const document = sealCheckpoint({
    workspaceId: config.workspaceId,
    generation: await nextGeneration(config.stateDir),
    createdAt: new Date(now()).toISOString(),
    host: hostname(),
    sessions: content.sessions.map(unsealed),
    lanes: content.lanes.map(unsealed),
    shareWorkers: content.shareWorkers.map(unsealed),
  });
  await writeCheckpoint(config.stateDir, document);
  return { ok: true, generation: document.generation, from: resolved.desired.generation };
}

/** `base` with `picked`'s sessions in place of those of the same name or id, lanes they need. */
function mergeSessions(base: DesiredState, picked: DesiredState): DesiredState {
  const names = new Set(picked.sessions.map((s) => s.sessionName));
  const ids = new Set(picked.sessions.map((s) => s.sessionId));
  const laneIds = new Set(base.lanes.map((lane) => lane.laneId));
  return {
    ...base,
    sessions: [
      ...base.sessions.filter((s) => !names.has(s.sessionName) && !ids.has(s.sessionId)),
      ...picked.sessions,
    ],
    lanes: [...base.lanes, ...picked.lanes.filter((lane) => !laneIds.has(lane.laneId))],
  };
}

/**
 * The desired state restricted to the sessions named (by session name), with the lanes and
 * share workers they need; unknown names are refused, naming the known ones.
 */
export function onlySessions(
  desired: DesiredState,
  names: readonly string[],
  label = `generation ${desired.generation}`,
): { ok: true; desired: DesiredState } | { ok: false; reason: string; known: string[] } {
  const known = desired.sessions.map((s) => s.sessionName);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0)
    return {
      ok: false,
      reason: `no session named ${unknown.map((n) => `"${n}"`).join(', ')} in ${label} (sessions: ${known.join(', ') || 'none'})`,
      known,
    };
  const sessions = desired.sessions.filter((s) => names.includes(s.sessionName));
  const lanes = new Set(sessions.flatMap((s) => (s.laneId === null ? [] : [s.laneId])));
  const terminals = new Set(sessions.map((s) => s.terminalId));
  return {
    ok: true,
    desired: {
      ...desired,
      sessions,
      lanes: desired.lanes.filter((lane) => lanes.has(lane.laneId)),
      shareWorkers: desired.shareWorkers.filter((worker) => terminals.has(worker.terminalId)),
      corrupt: [],
    },
  };
}

/** Whether a snapshot of this name exists (a name that is invalid says why). */
export async function snapshotProblem(
  config: WorkspaceConfig,
  name: string,
): Promise<string | null> {
  const problem = snapshotNameProblem(name);
  if (problem) return `invalid snapshot name "${name}": ${problem}`;
  return (await writtenAt(snapshotFile(config.stateDir, name))) === null
    ? null
    : `a snapshot named "${name}" exists already; choose another name`;
}

/** Keeps generation `generation` as the named snapshot `name` (a hard link, never pruned). */
export async function keepSnapshot(
  config: WorkspaceConfig,
  name: string,
  generation: number,
): Promise<string> {
  for (const file of [join(config.stateDir, CURRENT), numberedFile(config.stateDir, generation)]) {
    const read = await readCheckpointFile(file);
    if (!read.ok || read.desired.generation !== generation) continue;
    const target = await linkSnapshot(config.stateDir, name, file);
    // The file may have been replaced between the read and the link: check what was linked.
    const linked = await readCheckpointFile(target);
    if (linked.ok && linked.desired.generation === generation) return target;
    const { unlink } = await import('node:fs/promises');
    await unlink(target);
  }
  throw new Error(`generation ${generation} is no longer on disk: no snapshot "${name}" written`);
}

/** Sets the retention policy of the workspace (what is not given stays as it was). */
export async function setRetention(
  config: WorkspaceConfig,
  change: { keepCount?: number | undefined; keepAgeMs?: number | undefined },
): Promise<Retention> {
  const { policy } = await readRetention(config.stateDir);
  const next: Retention = {
    version: 1,
    keepCount: change.keepCount ?? policy.keepCount,
    keepAgeMs: change.keepAgeMs ?? policy.keepAgeMs,
  };
  await ensureTrustedDir(config.stateDir);
  await writeRetention(config.stateDir, next);
  return next;
}

/** The session names of a generation (`ref`), else of the newest valid one. */
export async function sessionNamesOf(
  config: WorkspaceConfig,
  ref?: string,
): Promise<{ ok: true; names: string[] } | { ok: false; reason: string }> {
  if (ref !== undefined) {
    const resolved = await resolveGeneration(config, ref);
    return resolved.ok
      ? { ok: true, names: resolved.desired.sessions.map((s) => s.sessionName) }
      : resolved;
  }
  const loaded = await loadNewestCheckpoint(config.stateDir);
  return loaded.ok
    ? { ok: true, names: loaded.desired.sessions.map((s) => s.sessionName) }
    : { ok: false, reason: loaded.reason };
}

/** A keep count and a keep age as given (text), checked; `field` names the one refused. */
export function retentionChangeOf(
  countText: string | undefined,
  ageText: string | undefined,
):
  | { ok: true; change: { keepCount?: number; keepAgeMs?: number } }
  | { ok: false; field: 'count' | 'age'; reason: string } {
  const change: { keepCount?: number; keepAgeMs?: number } = {};
  if (countText !== undefined) {
    if (!/^\d{1,4}$/.test(countText) || Number(countText) > MAX_KEEP_COUNT)
      return {
        ok: false,
        field: 'count',
        reason: `"${countText}": expected 0 to ${MAX_KEEP_COUNT}`,
      };
    change.keepCount = Number(countText);
  }
  if (ageText !== undefined) {
    const ms = parseDuration(ageText);
    if (ms === null || ms > MAX_KEEP_AGE_MS)
      return {
        ok: false,
        field: 'age',
        reason: `"${ageText}": expected 0 or a duration such as 90m, 24h, 7d (at most 365d)`,
      };
    change.keepAgeMs = ms;
  }
  return { ok: true, change };
}
