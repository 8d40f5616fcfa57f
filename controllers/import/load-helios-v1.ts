import { homedir } from 'node:os';
import { addWithheld, applyCapturePolicy, NOTHING_WITHHELD } from '../../specs/capture-policy.js';
import type { CheckpointDraft } from '../../specs/checkpoint-codec.js';
import type { Multiplexer } from '../../specs/checkpoint-spec.js';
import {
  convertHeliosV1,
  duplicateProblem,
  type HeliosV1CheckpointSpec,
  parseHeliosV1,
} from '../../specs/import-helios-v1.js';
import type { WorkspaceConfig } from '../workspace-config.js';
import type { Converted, ImportRequest } from './run-import.js';
import { withheldWarnings } from './run-import.js';
import { deriveLanes } from '../checkpoint/derive-lanes.js';
import { laneOfPath } from '../../specs/lane-path.js';

export type V1Import =
  | {
      readonly ok: true;
      readonly draft: CheckpointDraft;
      /** Sessions left out (each failed alone). */
      readonly failed: readonly string[];
      /** One line each: what failed, what was normalised, which lanes could not be found. */
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

/**
 * A heliosApp v1 checkpoint as the next desired state: converted session by session, refused
 * when two sessions share an id or a name, and with lanes derived from the sessions' worktrees
 * (`<repo>/.helios-worktrees/<lane>`) so `lane_missing` protects imported sessions too.
 */
export async function importHeliosV1(
  source: HeliosV1CheckpointSpec,
  options: {
    workspaceId: string;
    host: string;
    generation: number;
    timeoutMs: number;
    env: NodeJS.ProcessEnv;
    multiplexer?: Multiplexer | undefined;
  },
): Promise<V1Import> {
  const conversion = convertHeliosV1(source, { ...options, home: options.env.HOME || homedir() });
  const duplicate = duplicateProblem(conversion.draft.sessions);
  if (duplicate) return { ok: false, reason: `refused: ${duplicate}` };
  if (conversion.draft.sessions.length === 0 && conversion.failed.length > 0)
    return { ok: false, reason: `no session could be imported: ${conversion.failed.join('; ')}` };
  const derived = await deriveLanes(
    [],
    conversion.draft.sessions.map((session) => session.workingDirectory),
    { timeoutMs: options.timeoutMs, env: options.env },
  );
  const laneIds = new Set(derived.lanes.map((lane) => lane.laneId));
  const notes = [
    ...conversion.failed.map((line) => `not imported: ${line}`),
    ...conversion.normalised.map((line) => `normalised: ${line}`),
    ...derived.warnings,
  ];
  const sessions = conversion.draft.sessions.map((session) => {
    const lane = laneOfPath(session.workingDirectory);
    const laneId = lane && laneIds.has(lane.laneId) ? lane.laneId : null;
    if (session.laneId !== null && session.laneId !== laneId)
      notes.push(
        laneId
          ? `session ${session.sessionId}: laneId ${session.laneId} is lane ${laneId} by its worktree`
          : `session ${session.sessionId}: lane ${session.laneId} has no worktree here (${session.workingDirectory}): not protected by lane_missing`,
      );
    return { ...session, laneId };
  });
  return {
    ok: true,
    draft: { ...conversion.draft, sessions, lanes: derived.lanes },
    failed: conversion.failed,
    notes,
  };
}

/**
 * A heliosApp v1 file as the next desired state. Its checksum must match its sessions; when it
 * does not and heliosApp's backup (`checkpoint.json.backup`) is given and intact, the backup is
 * read instead, as heliosApp's own reader does (and said). A tampered file with no intact backup
 * is refused unless `force`. Secrets stay out of the state dir, as for `checkpoint`.
 */
export async function convertHeliosV1File(
  config: WorkspaceConfig,
  request: ImportRequest,
  common: { workspaceId: string; host: string; generation: number },
): Promise<Converted> {
  let parsed = parseHeliosV1(request.text);
  if (!parsed.ok) return parsed;
  const warnings: string[] = [];
  if (parsed.tampered && request.backup) {
    const backup = parseHeliosV1(request.backup.text);
    if (backup.ok && !backup.tampered) {
      warnings.push(
        `${request.source}: ${parsed.tampered}: its backup ${request.backup.source} is read instead`,
      );
      parsed = backup;
    }
  }
  const { tampered } = parsed;
  if (tampered && !request.force)
    return {
      ok: false,
      reason: `refused: ${tampered}`,
      remedy: {
        code: 'force_import',
        format: request.format,
        source: request.source,
        ...(request.out === undefined ? {} : { out: request.out }),
      },
    };
  if (tampered) warnings.push(`${request.source}: imported although ${tampered} (forced)`);
  const policy = { allowEnv: config.allowEnv ?? [] };
  let withheld = NOTHING_WITHHELD;
  const sessions = parsed.data.sessions.map((session) => {
    const applied = applyCapturePolicy(
      {
        name: session.zelijjSessionName,
        environment: session.environmentVariables,
        scrollback: session.scrollbackSnapshot,
      },
      policy,
    );
    withheld = addWithheld(withheld, applied.withheld);
    return {
      ...session,
      environmentVariables: applied.environment,
      scrollbackSnapshot: applied.scrollback,
    };
  });
  const imported = await importHeliosV1(
    { ...parsed.data, sessions },
    { ...common, timeoutMs: config.timeoutMs, env: config.env, multiplexer: request.multiplexer },
  );
  if (!imported.ok) return imported;
  return {
    ok: true,
    draft: imported.draft,
    withheld,
    partial: imported.failed.length > 0,
    warnings: [...warnings, ...imported.notes, ...withheldWarnings(withheld)],
  };
}
