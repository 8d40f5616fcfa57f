import { closeSync, constants, fchmodSync, openSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Observable } from 'rxjs';
// The class alone: the `rxjs` index costs ~160 ms of start-up (see event-bus.ts).
import { Subscription } from 'rxjs/internal/Subscription';
import type { RecoveryEvent } from '../specs/events.js';
import { environmentalReason } from '../store/environmental-error.js';
import { untrustedReason } from '../store/private-dir.js';

export const AUDIT_FILE = 'audit.jsonl';

/** Append, create 0600, and never through a symlink planted in the state dir. */
const AUDIT_FLAGS =
  constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/**
 * Appends every event to `<stateDir>/audit.jsonl` (one JSON line per event, written
 * synchronously so a crash right after an event still has it on disk), unless the state dir is
 * untrusted (then nothing is written). It never throws: when the file cannot be opened or
 * written (full, read-only, a planted symlink), `onProblem` hears it once and the log stops,
 * while the run goes on.
 */
export async function attachAuditLog(
  stateDir: string,
  events$: Observable<RecoveryEvent>,
  onProblem: (reason: string) => void = () => undefined,
): Promise<Subscription> {
  const path = join(stateDir, AUDIT_FILE);
  // Nothing is written into (or created under) a state dir that cannot be trusted: the command
  // refuses it itself, with the reason.
  if ((await untrustedReason(stateDir)) !== null) return new Subscription();
  // The log may attach before anything else touched a new state dir: create it (0700) first.
  await mkdir(stateDir, { recursive: true, mode: 0o700 }).catch(() => undefined);
  const failed = (error: unknown) =>
    onProblem(
      `audit log ${path} not written: ${environmentalReason(error) ?? (error as Error).message}`,
    );
  let fd: number;
  try {
    fd = openSync(path, AUDIT_FLAGS, 0o600);
    fchmodSync(fd, 0o600); // a log created by an older version may be 0644
  } catch (error) {
    failed(error);
    return new Subscription();
  }
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  // One JSON line per event, as pino wrote them (`level` 30 first), without loading pino: it
  // was only ever a synchronous line writer here, and cost ~50 ms of every start.
  const write = (event: RecoveryEvent) => {
    if (!open) return;
    try {
      writeSync(fd, `${JSON.stringify({ level: 30, ...event })}\n`);
    } catch (error) {
      close();
      failed(error);
    }
  };
  const subscription = events$.subscribe(write);
  subscription.add(close);
  return subscription;
}
