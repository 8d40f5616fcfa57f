import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readProcess } from '../observers/proc-table.js';
import { writeFileAtomic } from '../specs/checkpoint-store.js';

export const LOCK_FILE = 'helios.lock';
export const HEARTBEAT_MS = 2_000;

/** Who holds the workspace: pid fenced by its start time, and a heartbeat. */
export interface LockRecord {
  readonly pid: number;
  readonly startTime: number;
  readonly heartbeatAt: string;
  readonly command: string;
}

export type LockState =
  | { readonly state: 'free' }
  | { readonly state: 'held'; readonly record: LockRecord }
  | { readonly state: 'stale'; readonly record: LockRecord | null; readonly reason: string };

/**
 * Reads the lock: `held` when its pid is alive with the recorded start time and the heartbeat is
 * fresh (within two intervals); `stale` otherwise (dead pid, reused pid, missed heartbeats, or
 * an unreadable lock): that is a crash.
 */
export async function inspectLock(stateDir: string, now: number): Promise<LockState> {
  let text: string;
  try {
    text = await readFile(join(stateDir, LOCK_FILE), 'utf8');
  } catch {
    return { state: 'free' };
  }
  let record: LockRecord;
  try {
    record = JSON.parse(text) as LockRecord;
  } catch {
    return { state: 'stale', record: null, reason: 'lock file is unreadable' };
  }
  const holder = await readProcess(record.pid);
  if (!holder) return { state: 'stale', record, reason: `lock holder pid ${record.pid} is gone` };
  if (holder.startTime !== record.startTime) {
    return { state: 'stale', record, reason: `pid ${record.pid} was reused by another process` };
  }
  const age = now - Date.parse(record.heartbeatAt);
  if (age > 2 * HEARTBEAT_MS + 1_000) {
    return {
      state: 'stale',
      record,
      reason: `lock holder pid ${record.pid} missed its heartbeat (${Math.round(age / 1000)} s)`,
    };
  }
  return { state: 'held', record };
}

/** A lock this process holds; `release` is idempotent. */
export interface HeldLock {
  readonly record: LockRecord;
  release(): Promise<void>;
}

/**
 * Takes the lock for this process and keeps its heartbeat. The caller must have inspected it
 * first (a live holder means: refuse).
 */
export async function acquireLock(
  stateDir: string,
  command: string,
  now: () => number,
): Promise<HeldLock> {
  const self = await readProcess(process.pid);
  const write = (at: number) =>
    writeFileAtomic(
      join(stateDir, LOCK_FILE),
      `${JSON.stringify({ pid: process.pid, startTime: self?.startTime ?? 0, heartbeatAt: new Date(at).toISOString(), command })}\n`,
    );
  await write(now());
  const timer = setInterval(() => void write(now()).catch(() => undefined), HEARTBEAT_MS);
  timer.unref();
  let released = false;
  return {
    record: {
      pid: process.pid,
      startTime: self?.startTime ?? 0,
      heartbeatAt: new Date(now()).toISOString(),
      command,
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await unlink(join(stateDir, LOCK_FILE)).catch(() => undefined);
    },
  };
}
