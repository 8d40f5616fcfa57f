import type { CrashRecord } from '../specs/state-files.js';

/** A crash loop: this many crashes within the window (PRODUCT.md section 3). */
export const CRASH_LOOP_COUNT = 3;
export const CRASH_LOOP_WINDOW_MS = 60_000;

/** Crashes recorded within the window before `now` (pure). */
export function crashesInWindow(history: readonly CrashRecord[], now: number): number {
  return history.filter((crash) => now - Date.parse(crash.detectedAt) <= CRASH_LOOP_WINDOW_MS)
    .length;
}
