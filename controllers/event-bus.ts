import { randomUUID } from 'node:crypto';
// The classes alone: importing the `rxjs` index costs ~200 ms on a 2-core machine (cold start).
import { Observable } from 'rxjs/internal/Observable';
import { Subject } from 'rxjs/internal/Subject';
import type { EventPayloads, RecoveryEvent, Topic } from '../specs/events.js';

/**
 * The controllers' event stream. Late subscribers (the audit log, a banner) see every event
 * until `stopReplay()`: a long-lived run (the daemon) calls it once its subscribers are
 * attached, so it does not keep every event it ever emitted.
 */
export interface EventBus {
  readonly events$: Observable<RecoveryEvent>;
  emit<T extends Topic>(topic: T, payload: EventPayloads[T]): RecoveryEvent;
  stopReplay(): void;
  complete(): void;
}

export function createEventBus(now: () => Date = () => new Date()): EventBus {
  const live = new Subject<RecoveryEvent>();
  let replay: RecoveryEvent[] | null = [];
  const events$ = new Observable<RecoveryEvent>((subscriber) => {
    for (const event of replay ?? []) subscriber.next(event);
    return live.subscribe(subscriber);
  });
  return {
    events$,
    emit(topic, payload) {
      const event = {
        id: randomUUID(),
        type: 'event',
        ts: now().toISOString(),
        topic,
        payload,
      } as RecoveryEvent;
      replay?.push(event);
      live.next(event);
      return event;
    },
    stopReplay: () => {
      replay = null;
    },
    complete: () => live.complete(),
  };
}
