import { readFileSync } from 'node:fs';
import { parseProcStat } from './proc-table.js';

/**
 * The /proc start time (stat field 22) of `pid`, read now: with the pid, which process it is.
 * Null when it is gone or unreadable. Synchronous: /proc files are tiny and in memory.
 */
export function readStartTime(pid: number): number | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.startTime ?? null;
  } catch {
    return null;
  }
}
