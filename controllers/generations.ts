import { basename } from 'node:path';
import {
  type CheckpointDiff,
  changeSummary,
  diffCheckpoints,
  type GenerationShape,
  isEmptyDiff,
  shapeOf,
} from '../specs/checkpoint-diff.js';
import type { DesiredState } from '../specs/desired-state.js';
import { type Retention, snapshotNameProblem } from '../specs/checkpoint-retention.js';
import {
  CURRENT,
  listCheckpointFiles,
  listSnapshotFiles,
  NUMBERED,
  readCheckpointFile,
  readRetention,
  writtenAt,
} from '../store/checkpoint-generations.js';
import { untrustedReason } from '../store/private-dir.js';
import type { WorkspaceConfig } from './workspace-config.js';

/*
 * A workspace's checkpoint generations as a user sees them: listed, compared, rolled back to.
 * Who may write is the caller's business (a rollback runs under recover's workspace lock).
 */

/** One generation (or one file that does not read) in the listing, newest first. */
export interface GenerationRow {
  /** null: a file whose generation cannot be told (the current file does not read). */
  readonly generation: number | null;
  readonly files: readonly string[];
  readonly current: boolean;
  readonly snapshots: readonly string[];
  /** The document's createdAt, else the file's mtime (RFC 3339). */
  readonly writtenAt: string | null;
  readonly shape: GenerationShape | null;
  readonly corrupt: number;
  /** What changed since the next older generation that reads (`+a -b ~c`); null: oldest. */
  readonly changes: string | null;
  /** An older generation with exactly this content (a rollback wrote it), or null. */
  readonly sameAs: number | null;
  /** Why it does not read, or null. */
  readonly problem: string | null;
}

export interface GenerationListing {
  readonly workspaceId: string;
  readonly stateDir: string;
  readonly rows: readonly GenerationRow[];
  readonly retention: Retention & { readonly source: 'default' | 'file' };
  readonly warnings: readonly string[];
}

type Read = Awaited<ReturnType<typeof readCheckpointFile>>;
interface FileRead {
  readonly file: string;
  readonly role: 'current' | 'numbered' | 'snapshot';
  readonly snapshot?: string;
  readonly read: Read;
}

async function readAll(stateDir: string): Promise<FileRead[]> {
  const reads: FileRead[] = [];
  for (const file of await listCheckpointFiles(stateDir))
    reads.push({
      file,
      role: basename(file) === CURRENT ? 'current' : 'numbered',
      read: await readCheckpointFile(file),
    });
  for (const { name, file } of await listSnapshotFiles(stateDir))
    reads.push({ file, role: 'snapshot', snapshot: name, read: await readCheckpointFile(file) });
  return reads;
}

const contentKey = (desired: DesiredState) =>
  [...desired.sessions, ...desired.lanes, ...desired.shareWorkers]
    .map((entry) => entry.checksum)
    .sort()
    .join(',');

interface Group {
  generation: number | null;
  files: FileRead[];
  desired: DesiredState | null;
  problem: string | null;
}

function groupByGeneration(reads: readonly FileRead[]): Group[] {
  const groups = new Map<string, Group>();
  for (const entry of reads) {
    const numbered = NUMBERED.exec(basename(entry.file));
    const generation = entry.read.ok
      ? entry.read.desired.generation
      : numbered
        ? Number(numbered[1])
        : null;
    const key = generation === null ? `file:${entry.file}` : `gen:${generation}`;
    const group = groups.get(key) ?? { generation, files: [], desired: null, problem: null };
    group.files.push(entry);
    if (entry.read.ok) group.desired ??= entry.read.desired;
    else group.problem ??= `${basename(entry.file)}: ${entry.read.reason}`;
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) => (b.generation ?? Infinity) - (a.generation ?? Infinity),
  );
}

/** Every generation of the workspace, newest first, with what changed since the one before. */
export async function listGenerations(
  config: WorkspaceConfig,
): Promise<{ ok: true; listing: GenerationListing } | { ok: false; reason: string }> {
  const untrusted = await untrustedReason(config.stateDir);
  if (untrusted !== null) return { ok: false, reason: untrusted };
  const groups = groupByGeneration(await readAll(config.stateDir));
  const rows: GenerationRow[] = [];
  for (const [index, group] of groups.entries()) {
    const older = groups.slice(index + 1).filter((g) => g.desired !== null);
    const desired = group.desired;
    const mtime = await writtenAt(group.files[0]!.file);
    rows.push({
      generation: group.generation,
      files: group.files.map((entry) => basename(entry.file)),
      current: group.files.some((entry) => entry.role === 'current'),
      snapshots: group.files.flatMap((entry) => (entry.snapshot ? [entry.snapshot] : [])),
      writtenAt: desired?.createdAt ?? (mtime === null ? null : new Date(mtime).toISOString()),
      shape: desired ? shapeOf(desired) : null,
      corrupt: desired?.corrupt.length ?? 0,
      changes:
        desired && older[0]?.desired
          ? changeText(diffCheckpoints(older[0].desired, desired))
          : null,
      sameAs: desired
        ? (older.find((g) => contentKey(g.desired!) === contentKey(desired))?.generation ?? null)
        : null,
      problem: desired ? null : group.problem,
    });
  }
  const retention = await readRetention(config.stateDir);
  return {
    ok: true,
    listing: {
      workspaceId: config.workspaceId,
      stateDir: config.stateDir,
      rows,
      retention: { ...retention.policy, source: retention.source },
      warnings: retention.problem ? [`${retention.problem}; the default policy applies`] : [],
    },
  };
}

const changeText = (diff: CheckpointDiff) => (isEmptyDiff(diff) ? '' : changeSummary(diff));

export type ResolvedGeneration =
  | { readonly ok: true; readonly desired: DesiredState; readonly file: string; label: string }
  | { readonly ok: false; readonly reason: string; readonly known: readonly string[] };

/**
 * The generation `ref` names: a generation number or a snapshot name. Refused (never replaced by
 * another generation) when it is absent, does not read, has a corrupt entry or is another
 * workspace's.
 */
export async function resolveGeneration(
  config: WorkspaceConfig,
  ref: string,
): Promise<ResolvedGeneration> {
  const untrusted = await untrustedReason(config.stateDir);
  if (untrusted !== null) return { ok: false, reason: untrusted, known: [] };
  const reads = await readAll(config.stateDir);
  const groups = groupByGeneration(reads);
  const byNumber = /^\d+$/.test(ref);
  if (!byNumber && snapshotNameProblem(ref) !== null)
    return {
      ok: false,
      reason: `"${ref}" is neither a generation number nor a snapshot name`,
      known: [],
    };
  const snapshots = reads.flatMap((entry) => (entry.snapshot ? [entry.snapshot] : []));
  const group = byNumber
    ? groups.find((g) => g.generation === Number(ref))
    : groups.find((g) => g.files.some((entry) => entry.snapshot === ref));
  const label = byNumber ? `generation ${ref}` : `snapshot ${ref}`;
  if (!group) {
    const kept = groups.flatMap((g) => (g.generation === null ? [] : [String(g.generation)]));
    const reason = byNumber
      ? `no generation ${ref} in ${config.stateDir} (kept: ${kept.join(', ') || 'none'})`
      : `no snapshot named "${ref}" in ${config.stateDir} (snapshots: ${snapshots.join(', ') || 'none'})`;
    return { ok: false, reason, known: byNumber ? [] : snapshots };
  }
  const file = byNumber
    ? group.files.find((entry) => entry.read.ok)
    : group.files.find((entry) => entry.snapshot === ref && entry.read.ok);
  if (!file || !file.read.ok)
    return { ok: false, reason: `${label} does not read (${group.problem})`, known: [] };
  const desired = file.read.desired;
  if (desired.corrupt.length > 0)
    return {
      ok: false,
      reason: `${label} has corrupt entries (${desired.corrupt.map((c) => `${c.key}: ${c.detail}`).join('; ')}): it cannot be restored`,
      known: [],
    };
  if (desired.workspaceId !== config.workspaceId)
    return {
      ok: false,
      reason: `${label} belongs to workspace ${desired.workspaceId}, not ${config.workspaceId}`,
      known: [],
    };
  return { ok: true, desired, file: file.file, label };
}

/** What changed from generation `a` to `b` (numbers or snapshot names). */
export async function diffGenerations(
  config: WorkspaceConfig,
  a: string,
  b: string,
): Promise<
  | { ok: true; from: number; to: number; diff: CheckpointDiff }
  | { ok: false; reason: string; known: readonly string[]; ref: string }
> {
  const from = await resolveGeneration(config, a);
  if (!from.ok) return { ...from, ref: a };
  const to = await resolveGeneration(config, b);
  if (!to.ok) return { ...to, ref: b };
  return {
    ok: true,
    from: from.desired.generation,
    to: to.desired.generation,
    diff: diffCheckpoints(from.desired, to.desired),
  };
}
