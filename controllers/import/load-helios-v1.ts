import { homedir } from 'node:os';
import type { CheckpointDraft } from '../../specs/checkpoint-codec.js';
import {
  convertHeliosV1,
  duplicateProblem,
  type HeliosV1CheckpointSpec,
} from '../../specs/import-helios-v1.js';
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
