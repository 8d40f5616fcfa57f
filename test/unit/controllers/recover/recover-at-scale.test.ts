import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachBanner } from '../../../../banner/attach-banner.js';
import { completedCount } from '../../../../banner/banner-state.js';
import { plainRenderer } from '../../../../banner/render-plain.js';
import { createEventBus } from '../../../../controllers/event-bus.js';
import { recover } from '../../../../controllers/recover/recover.js';
import { sealCheckpoint } from '../../../../specs/checkpoint-codec.js';
import type { RecoveryEvent } from '../../../../specs/events.js';
import { writeCheckpoint } from '../../../../store/checkpoint-store.js';
import { createFakeWorkspace, type FakeWorkspace } from '../../../fakes/fake-workspace.js';

const BLOCKED = 10_000;
const GOOD = 3;

/** A checkpoint of GOOD restorable sessions and BLOCKED entries whose checksum fails. */
async function writeLargeCheckpoint(ws: FakeWorkspace): Promise<void> {
  const session = (id: string) => ({
    sessionId: id,
    terminalId: id,
    laneId: null,
    multiplexer: 'tmux' as const,
    sessionName: `helios-${id}`,
    workingDirectory: ws.root,
    environment: {},
    shellCommand: ['/bin/sh'],
    scrollback: '',
  });
  const ids = [
    ...Array.from({ length: GOOD }, (_, i) => `g${i}`),
    ...Array.from({ length: BLOCKED }, (_, i) => `b${i}`),
  ];
  const document = sealCheckpoint({
    workspaceId: ws.config.workspaceId,
    generation: 0,
    createdAt: new Date().toISOString(),
    host: 'fake',
    sessions: ids.map(session),
    lanes: [],
    shareWorkers: [],
  });
  await writeCheckpoint(ws.config.stateDir, document);
  // Tampered after it was written: each blocked entry fails its checksum alone.
  const tampered = {
    ...document,
    sessions: document.sessions.map((s) =>
      s.sessionId.startsWith('b') ? { ...s, workingDirectory: '/tampered' } : s,
    ),
  };
  writeFileSync(join(ws.config.stateDir, 'checkpoint.json'), JSON.stringify(tampered));
}

describe('recover at scale, on a fake world', () => {
  let ws: FakeWorkspace;
  beforeEach(async () => {
    ws = createFakeWorkspace();
    await writeLargeCheckpoint(ws);
  });
  afterEach(() => ws.cleanup());

  it('reports 10,000 blocked entries without starving the event loop, and counts honestly', async () => {
    const bus = createEventBus();
    let out = '';
    const banner = attachBanner(bus.events$, plainRenderer, (text) => (out += text));
    // A ticker on the loop: the tick each blocked outcome was reported at.
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 0);
    const reportedAt = new Set<number>();
    bus.events$.subscribe((event: RecoveryEvent) => {
      if (event.topic === 'recovery.session.failed') reportedAt.add(ticks);
    });
    let stateAtReconciling: { outcomes: unknown[] } | null = null;
    // What RESTORING saved, read when RECONCILING first looks at the world (its orphan scan).
    const fake = ws.fake.world;
    const world: typeof fake = {
      ...fake,
      observe: async (desired, options, signal) => {
        if (options.orphans && stateAtReconciling === null) {
          const file = join(ws.config.stateDir, 'recovery-state.json');
          stateAtReconciling = JSON.parse(readFileSync(file, 'utf8'));
        }
        return fake.observe(desired, options, signal);
      },
    };
    const report = await recover({ config: { ...ws.config, world }, bus });
    clearInterval(ticker);
    bus.complete();

    expect(report.stage).toBe('LIVE');
    const byStatus = new Map<string, number>();
    for (const s of report.sessions) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
    expect(Object.fromEntries(byStatus)).toEqual({ failed: BLOCKED, respawned: GOOD });
    expect(report.sessions.filter((s) => s.status === 'failed').map((s) => s.reason)).toEqual(
      Array(BLOCKED).fill('checkpoint_corrupt'),
    );
    expect(ws.fake.sessions().map((s) => s.name)).toEqual(['helios-g0', 'helios-g1', 'helios-g2']);

    // The loop ran between batches of outcomes: the heartbeat timer is never starved.
    expect(reportedAt.size).toBeGreaterThan(5);
    // The stage ended with every outcome saved, though they are saved in batches.
    expect(stateAtReconciling!.outcomes).toHaveLength(BLOCKED + GOOD);

    expect(completedCount(banner.state())).toBe(BLOCKED + GOOD);
    const progress = out.split('\n').filter((line) => line.startsWith('Restoring sessions...'));
    for (const line of progress) {
      const [, done, of, failed] = /(\d+) of (\d+) (?:complete|restored, (\d+) failed)/.exec(line)!;
      expect(Number(done) + Number(failed ?? 0)).toBeLessThanOrEqual(Number(of));
    }
    expect(progress.at(-1)).toBe(
      `Restoring sessions... ${GOOD} of ${BLOCKED + GOOD} restored, ${BLOCKED} failed.`,
    );
  });
});
