import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_FILE, attachAuditLog } from '../../../controllers/audit-log.js';
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

describe('the audit log', () => {
  it('writes each event as one JSON line, 0600, and nothing once unsubscribed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'helios-audit-'));
    try {
      const bus = createEventBus();
      bus.emit('recovery.state.unsaved', { reason: 'before "attach"\nsecond line' });
      const subscription = await attachAuditLog(join(dir, 'state'), bus.events$);
      bus.emit('recovery.safemode.exited', { reason: 'by hand' });
      subscription.unsubscribe();
      bus.emit('recovery.safemode.exited', { reason: 'after' });
      const file = join(dir, 'state', AUDIT_FILE);
      const lines = readFileSync(file, 'utf8').split('\n');
      expect(lines.at(-1)).toBe('');
      const events = lines.slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(
        events.map((e) => [e.level, e.topic, (e.payload as { reason: string }).reason]),
      ).toEqual([
        [30, 'recovery.state.unsaved', 'before "attach"\nsecond line'],
        [30, 'recovery.safemode.exited', 'by hand'],
      ]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
