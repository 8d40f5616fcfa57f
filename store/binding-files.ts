import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { Observation } from '../specs/actual-state.js';
import {
  type LaneBinding,
  LaneBindingSpec,
  type ZellijBinding,
  ZellijBindingSpec,
} from '../specs/state-files.js';
import { readJsonFile, valueOrNull } from './json-file.js';

/**
 * Bindings record which controller incarnation adopted a resource that carries no tag of its
 * own: lanes, and zellij sessions (fenced by their server's pid and start time). One small JSON
 * file per resource in `<stateDir>/bindings/`, so concurrent executors never race on one file.
 */
export function bindingsDir(stateDir: string): string {
  return join(stateDir, 'bindings');
}

export function laneBindingFile(stateDir: string, laneId: string): string {
  return join(bindingsDir(stateDir), `lane.${laneId}.json`);
}

export function zellijBindingFile(stateDir: string, name: string): string {
  return join(bindingsDir(stateDir), `zellij.${name}.json`);
}

async function readBindingFiles<S extends z.ZodType>(
  stateDir: string,
  prefix: string,
  schema: S,
): Promise<Observation<z.infer<S>>> {
  let names: string[];
  try {
    names = await readdir(bindingsDir(stateDir));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'ok', items: [] };
    return { status: 'unavailable', reason: `cannot read ${bindingsDir(stateDir)} (${code})` };
  }
  const files = names.filter((name) => name.startsWith(prefix) && name.endsWith('.json'));
  // A torn, foreign or hand-edited file binds nothing.
  const items = await Promise.all(
    files.map(async (name) =>
      valueOrNull(await readJsonFile(join(bindingsDir(stateDir), name), schema)),
    ),
  );
  return { status: 'ok', items: items.filter((item) => item !== null) };
}

/** The lanes this controller has inventoried. */
export function observeLaneBindings(stateDir: string): Promise<Observation<LaneBinding>> {
  return readBindingFiles(stateDir, 'lane.', LaneBindingSpec);
}

/** The zellij sessions this controller has adopted. */
export function readZellijBindings(stateDir: string): Promise<Observation<ZellijBinding>> {
  return readBindingFiles(stateDir, 'zellij.', ZellijBindingSpec);
}
