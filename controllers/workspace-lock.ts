import { stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { readProcess } from '../clients/proc-table.js';
import type { LockRecord } from '../specs/state-files.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { createExclusive, readLockFile, readLockRecord } from '../store/lock-file.js';
import { type LockState, lockHolderText } from '../specs/reports.js';

export const LOCK_FILE = 'helios.lock';
export const HEARTBEAT_MS = 2_000;

/**
 * Reads the lock. Its holder is fenced by pid and /proc start time: `stale` (a crash) only when
 * that process is gone, its pid reused, or the lock unreadable. A live holder whose heartbeat is
 * older than two intervals is `stalled` (stopped with Ctrl-Z, or hung): it still holds the
 * workspace and is never taken over; otherwise it is `held`.
 */
export async function inspectLock(stateDir: string, now: number): Promise<LockState> {
  const read = await readLockFile(join(stateDir, LOCK_FILE));
  if (read.status === 'missing') return { state: 'free' };
  if (read.status === 'invalid')
    return { state: 'stale', record: null, reason: `lock file is unreadable (${read.reason})` };
  const record = read.value;
  const holder = await readProcess(record.pid);
  if (!holder) return { state: 'stale', record, reason: `lock holder pid ${record.pid} is gone` };
  if (holder.startTime !== record.startTime) {
    return { state: 'stale', record, reason: `pid ${record.pid} was reused by another process` };
  }
  const age = now - Date.parse(record.heartbeatAt);
  if (age > 2 * HEARTBEAT_MS + 1_000) return { state: 'stalled', record, sinceHeartbeatMs: age };
  return { state: 'held', record };
}

/** The live holder of a lock (`held` or `stalled`), or null when it is free or stale. */
export function liveHolder(lock: LockState): { record: LockRecord; text: string } | null {
  if (lock.state === 'held')
    return { record: lock.record, text: lockHolderText(lock.record, null) };
  if (lock.state === 'stalled')
    return { record: lock.record, text: lockHolderText(lock.record, lock.sinceHeartbeatMs) };
  return null;
}

/** A lock this process holds; `release` is idempotent. */
export interface HeldLock {
  readonly record: LockRecord;
  release(): Promise<void>;
}

const TAKEOVER = `${LOCK_FILE}.takeover`;
/** A takeover guard older than this belongs to a taker that died mid-way. */
const TAKEOVER_STALE_MS = 10_000;

const sameHolder = (a: LockRecord | null, b: LockRecord) =>
  a !== null && a.pid === b.pid && a.startTime === b.startTime;

/**
 * Replaces a stale lock, serialised by an exclusive takeover guard, so two takers never both
 * win: the one holding the guard re-inspects, removes the stale lock and creates its own
 * exclusively; any other waits, then finds a held lock and is refused.
 */
async function takeOver(stateDir: string, text: string, now: () => number): Promise<boolean> {
  const guard = join(stateDir, TAKEOVER);
  if (!(await createExclusive(guard, `${process.pid}\n`))) {
    const age = now() - ((await stat(guard).catch(() => null))?.mtimeMs ?? now());
    if (age > TAKEOVER_STALE_MS) await unlink(guard).catch(() => undefined);
    return false;
  }
  try {
    const state = await inspectLock(stateDir, now());
    if (liveHolder(state) !== null) return false;
    await unlink(join(stateDir, LOCK_FILE)).catch(() => undefined);
    return await createExclusive(join(stateDir, LOCK_FILE), text);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/**
 * Takes the lock for this process, race-free: exclusive creation, or a serialised takeover of a
 * stale lock; a live holder (another process, held or stalled) refuses, named in `refused`
 * ("pid N (command)", and how long it has stalled). Keeps the heartbeat, and never writes over
 * a lock that is no longer its own.
 */
export async function acquireLock(
  stateDir: string,
  command: string,
  now: () => number,
): Promise<HeldLock | { readonly refused: string }> {
  // Held by this very process (a recovery, a restore, the daemon): never twice at once.
  const own = heldHere.get(stateDir);
  if (own !== undefined) return { refused: lockHolderText(own, null) };
  const lock = await acquireNewLock(stateDir, command, now);
  if ('refused' in lock) return lock;
  heldHere.set(stateDir, lock.record);
  return {
    record: lock.record,
    async release() {
      if (heldHere.get(stateDir) === lock.record) heldHere.delete(stateDir);
      await lock.release();
    },
  };
}

/** The locks this process holds, by state dir. */
const heldHere = new Map<string, LockRecord>();

async function acquireNewLock(
  stateDir: string,
  command: string,
  now: () => number,
): Promise<HeldLock | { readonly refused: string }> {
  const self = await readProcess(process.pid);
  const record = (at: number): LockRecord => ({
    pid: process.pid,
    startTime: self?.startTime ?? 0,
    heartbeatAt: new Date(at).toISOString(),
    command,
  });
  const path = join(stateDir, LOCK_FILE);
  const text = (at: number) => `${JSON.stringify(record(at))}\n`;
  let acquired = await createExclusive(path, text(now()));
  for (let attempt = 0; !acquired && attempt < 50; attempt += 1) {
    const state = await inspectLock(stateDir, now());
    const live = liveHolder(state);
    if (live !== null && !sameHolder(live.record, record(0))) return { refused: live.text };
    if (live !== null) {
      await writeFileAtomic(path, text(now())); // already ours (the daemon's own recovery)
      acquired = true;
    } else if (state.state === 'free') acquired = await createExclusive(path, text(now()));
    else acquired = await takeOver(stateDir, text(now()), now);
    if (!acquired) await sleep(20);
  }
  if (!acquired) {
    const holder = await readLockRecord(path);
    return { refused: holder ? lockHolderText(holder, null) : 'another process' };
  }
  const heartbeat = async () => {
    if (!sameHolder(await readLockRecord(path), record(0))) return; // taken over: not ours to write
    await writeFileAtomic(path, text(now()));
  };
  const timer = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
  timer.unref();
  let released = false;
  return {
    record: record(now()),
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      if (sameHolder(await readLockRecord(path), record(0)))
        await unlink(path).catch(() => undefined);
    },
  };
}

/** Locks this process holds for a host app, by state dir: its own restores run under them. */
const hostLocks = new Map<string, HeldLock>();

/**
 * Marks `lock` as held for the host app of this process: `restore()` then runs under it instead
 * of taking its own (which would be refused: the host holds the workspace). Only the host's
 * supervisor shares its lock; recover and the daemon never do, so two of them never run at once.
 */
export function shareWithHost(stateDir: string, lock: HeldLock): HeldLock {
  hostLocks.set(stateDir, lock);
  return {
    record: lock.record,
    async release() {
      if (hostLocks.get(stateDir) === lock) hostLocks.delete(stateDir);
      await lock.release();
    },
  };
}

/** The lock the host app of this process holds on `stateDir`, if it holds one. */
export const hostLockOf = (stateDir: string): HeldLock | undefined => hostLocks.get(stateDir);
