import type { World } from '../controllers/compose.js';

/** Where a command writes; the CLI passes process streams, tests may pass buffers. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** True when stdout is a terminal (banner may redraw lines) and not under CI. */
  readonly interactive?: boolean;
  /** Waits for one key press on a terminal stdin; absent when stdin is not a TTY. */
  readonly waitForKey?: () => Promise<void>;
  /** What commands act on: the real world when absent (an embedding or a test may hand one). */
  readonly world?: World | undefined;
}

function waitForKey(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.setRawMode(true);
    process.stdin.resume();
    process.stdin.once('data', () => {
      process.stdin.setRawMode(false);
      process.stdin.pause();
      resolve();
    });
  });
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  interactive: process.stdout.isTTY === true && !process.env.CI,
  waitForKey: process.stdin.isTTY ? waitForKey : undefined,
};

/** Counts in English: `1 session`, `2 sessions`, `0 lanes`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
