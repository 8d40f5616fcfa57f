import { execFileSync } from 'node:child_process';

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
