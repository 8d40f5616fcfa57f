import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../../controllers/event-bus.js';
import type { RecoveryEvent } from '../../../specs/events.js';

const unsaved = (n: number) => ({ reason: `write ${n} failed` });

describe('the event bus', () => {
  it('replays to late subscribers until stopReplay, then keeps nothing it emitted', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), (before, after) => {
        const bus = createEventBus();
        for (let i = 0; i < before; i += 1) bus.emit('recovery.state.unsaved', unsaved(i));
        const early: RecoveryEvent[] = [];
        const subscription = bus.events$.subscribe((event) => early.push(event));
        expect(early).toHaveLength(before);
        bus.stopReplay();
        for (let i = 0; i < after; i += 1) bus.emit('recovery.state.unsaved', unsaved(i));
        expect(early).toHaveLength(before + after);
        const late: RecoveryEvent[] = [];
        bus.events$.subscribe((event) => late.push(event)).unsubscribe();
        expect(late).toEqual([]);
        subscription.unsubscribe();
      }),
    );
  });

  it('completes late subscribers after the replay', () => {
    const bus = createEventBus();
    bus.emit('recovery.state.unsaved', unsaved(1));
    bus.complete();
    const seen: string[] = [];
    bus.events$.subscribe({ next: (e) => seen.push(e.topic), complete: () => seen.push('done') });
    expect(seen).toEqual(['recovery.state.unsaved', 'done']);
  });
});
