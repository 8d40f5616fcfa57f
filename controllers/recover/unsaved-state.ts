import { environmentalReason } from '../../store/environmental-error.js';
import type { EventBus } from '../event-bus.js';

/**
 * What this run could not save in its state dir. The first environmental write error is
 * announced once (`recovery.state.unsaved`); recovery goes on from the checkpoint it could
 * read, without its lock, resume point or audit log, and destroys nothing.
 */
export interface UnsavedState {
  /** The first reason, or null while every write landed. */
  readonly reason: () => string | null;
  /** Runs a write; an environmental failure is noted (not thrown), any other error is. */
  attempt(write: () => Promise<unknown>): Promise<boolean>;
  /** Notes a failure found elsewhere (the audit log). */
  note(reason: string): void;
}

export function trackUnsavedState(bus: EventBus): UnsavedState {
  let first: string | null = null;
  const note = (reason: string) => {
    if (first !== null) return;
    first = reason;
    bus.emit('recovery.state.unsaved', { reason });
  };
  return {
    reason: () => first,
    note,
    async attempt(write) {
      try {
        await write();
        return true;
      } catch (error) {
        const reason = environmentalReason(error);
        if (reason === null) throw error;
        note(reason);
        return false;
      }
    },
  };
}
