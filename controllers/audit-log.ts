import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Observable, Subscription } from 'rxjs';
import type { RecoveryEvent } from '../specs/events.js';

export const AUDIT_FILE = 'audit.jsonl';

/**
 * Appends every event to `<stateDir>/audit.jsonl` through pino (one JSON line per event, written
 * synchronously so a crash right after an event still has it on disk).
 */
export async function attachAuditLog(
  stateDir: string,
  events$: Observable<RecoveryEvent>,
): Promise<Subscription> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const { pino } = await import('pino');
  const destination = pino.destination({
    dest: join(stateDir, AUDIT_FILE),
    sync: true,
    append: true,
    mkdir: true,
  });
  const logger = pino({ base: null, timestamp: false, messageKey: 'msg' }, destination);
  return events$.subscribe((event) => logger.info(event));
}
