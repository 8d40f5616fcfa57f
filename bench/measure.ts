import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sealCheckpoint } from '../specs/checkpoint-codec.js';
import type { CheckpointSpec } from '../specs/checkpoint-spec.js';
import { writeCheckpoint } from '../store/checkpoint-store.js';

/** The built CLI, run by every bench that times it as a process. */
export const CLI = fileURLToPath(new URL('../bin/helios-recover.js', import.meta.url));

/** The options that point a command at a bench workspace on a private tmux socket. */
export const benchWorkspace = (workspace: string, stateDir: string, socket: string): string[] => [
  '-w',
  workspace,
  '--state-dir',
  stateDir,
  '-L',
  socket,
  '--backend',
  'tmux',
];

/** Median of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Milliseconds taken by `fn`. */
export async function timeIt(fn: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function tmux(socket: string, args: string[]): void {
  try {
    execFileSync('tmux', ['-L', socket, ...args], { stdio: 'ignore' });
  } catch {
    // kill-server without a server: nothing to do
  }
}

/** Rounds to 0.1 ms for the report. */
export const round = (ms: number) => Math.round(ms * 10) / 10;

/** How many windows each session has, and panes each window. */
export interface BenchShape {
  readonly windows: number;
  readonly panes: number;
}
export const ONE_PANE: BenchShape = { windows: 1, panes: 1 };

/**
 * Writes a checkpoint of `n` tmux sessions running /bin/sh in `cwd` (BENCH=<i> in each env),
 * each of `shape` (saved with windows and panes when it has more than one pane).
 */
export async function writeBenchCheckpoint(
  stateDir: string,
  workspaceId: string,
  n: number,
  cwd: string,
  shape: BenchShape = ONE_PANE,
): Promise<CheckpointSpec> {
  const windows = Array.from({ length: shape.windows }, (_, w) => ({
    index: w,
    name: `w${w}`,
    active: w === 0,
    zoomed: false,
    panes: Array.from({ length: shape.panes }, (_, p) => ({
      index: p,
      workingDirectory: cwd,
      active: p === 0,
      scrollback: '',
    })),
  }));
  const sessions = Array.from({ length: n }, (_, i) => ({
    sessionId: `s${i}`,
    terminalId: `t${i}`,
    laneId: null,
    multiplexer: 'tmux' as const,
    sessionName: `helios-s${i}`,
    workingDirectory: cwd,
    environment: { BENCH: String(i) },
    shellCommand: ['/bin/sh'],
    scrollback: '',
    ...(shape.windows * shape.panes > 1 ? { windows } : {}),
  }));
  const createdAt = new Date().toISOString();
  const draft = {
    workspaceId,
    generation: 0,
    createdAt,
    host: 'bench',
    sessions,
    lanes: [],
    shareWorkers: [],
  };
  const document = sealCheckpoint(draft);
  await writeCheckpoint(stateDir, document);
  return document;
}
