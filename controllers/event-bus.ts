import { randomUUID } from 'node:crypto';
import type { Observable } from 'rxjs';
// The subject alone: importing the `rxjs` index costs ~200 ms on a 2-core machine (cold start).
import { ReplaySubject } from 'rxjs/internal/ReplaySubject';
import type { EventPayloads, RecoveryEvent, Topic } from '../specs/events.js';

/** The controllers' event stream. Late subscribers (the audit log, a banner) see every event. */
export interface EventBus {
  readonly events$: Observable<RecoveryEvent>;
  emit<T extends Topic>(topic: T, payload: EventPayloads[T]): RecoveryEvent;
  complete(): void;
}

export function createEventBus(now: () => Date = () => new Date()): EventBus {
  const subject = new ReplaySubject<RecoveryEvent>();
  return {
    events$: subject.asObservable(),
    emit(topic, payload) {
      const event = {
        id: randomUUID(),
        type: 'event',
        ts: now().toISOString(),
        topic,
        payload,
      } as RecoveryEvent;
      subject.next(event);
      return event;
    },
    complete: () => subject.complete(),
  };
}
