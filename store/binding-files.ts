import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LaneBinding, Observation } from '../specs/actual-state.js';

/**
 * Bindings record which controller incarnation adopted a resource that carries no tag of its
 * own: lanes, and zellij sessions (fenced by their server's pid and start time). One small JSON
 * file per resource in `<stateDir>/bindings/`, so concurrent executors never race on one file.
 */
export interface ZellijBinding {
  readonly name: string;
  readonly workspaceId: string;
  /** Bindings live in the state dir, so they name the instance that wrote them. */
  readonly instanceId?: string | undefined;
  readonly sessionId: string;
  readonly incarnation: string;
  readonly serverPid: number;
  readonly serverStartTime: number;
}

export function bindingsDir(stateDir: string): string {
  return join(stateDir, 'bindings');
}

export function laneBindingFile(stateDir: string, laneId: string): string {
  return join(bindingsDir(stateDir), `lane.${laneId}.json`);
}

export function zellijBindingFile(stateDir: string, name: string): string {
  return join(bindingsDir(stateDir), `zellij.${name}.json`);
}

async function readBindingFiles<T>(stateDir: string, prefix: string): Promise<Observation<T>> {
  let names: string[];
  try {
    names = await readdir(bindingsDir(stateDir));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'ok', items: [] };
    return { status: 'unavailable', reason: `cannot read ${bindingsDir(stateDir)} (${code})` };
  }
  const files = names.filter((name) => name.startsWith(prefix) && name.endsWith('.json'));
  const items = await Promise.all(
    files.map(async (name) => {
      try {
        return JSON.parse(await readFile(join(bindingsDir(stateDir), name), 'utf8')) as T;
      } catch {
        return null; // a torn or foreign file binds nothing
      }
    }),
  );
  return {
    status: 'ok',
    items: items.filter((item): item is Awaited<T> & {} => item !== null) as T[],
  };
}

/** The lanes this controller has inventoried. */
export function observeLaneBindings(stateDir: string): Promise<Observation<LaneBinding>> {
  return readBindingFiles<LaneBinding>(stateDir, 'lane.');
}

/** The zellij sessions this controller has adopted. */
export function readZellijBindings(stateDir: string): Promise<Observation<ZellijBinding>> {
  return readBindingFiles<ZellijBinding>(stateDir, 'zellij.');
}
