import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../../../controllers/event-bus.js';
import { previewPlan } from '../../../../controllers/preview-plan.js';
import { recover } from '../../../../controllers/recover/recover.js';
import type { RecoveryEvent } from '../../../../specs/events.js';
import { createFakeWorkspace, type FakeWorkspace } from '../../../fakes/fake-workspace.js';

describe('recover, on a fake world', () => {
  let ws: FakeWorkspace;
  beforeEach(() => {
    ws = createFakeWorkspace();
  });
  afterEach(() => ws.cleanup());

  const run = async () => {
    const bus = createEventBus();
    const events: RecoveryEvent[] = [];
    bus.events$.subscribe((event) => events.push(event));
    const report = await recover({ config: ws.config, bus });
    bus.complete();
    return { report, events };
  };

  it('respawns what crashed, reports LIVE without issues, and plans nothing after', async () => {
    await ws.checkpoint(['a', 'b', 'c']);
    const { report, events } = await run();
    expect(report.stage).toBe('LIVE');
    expect(report.withIssues).toBe(false);
    expect(report.sessions.map((s) => [s.sessionId, s.status])).toEqual([
      ['a', 'respawned'],
      ['b', 'respawned'],
      ['c', 'respawned'],
    ]);
    expect(ws.fake.sessions().map((s) => s.name)).toEqual(['helios-a', 'helios-b', 'helios-c']);
    expect(events.map((e) => e.topic)).toContain('recovery.completed');
    const again = await previewPlan(ws.config, Date.now);
    expect(again.ok && again.plan.actions).toEqual([]);
  });

  it('reattaches survivors after a crash of the controller, respawns only what is gone', async () => {
    await ws.checkpoint(['a', 'b']);
    await run();
    const pid = ws.fake.sessions().find((s) => s.name === 'helios-a')!.panePid;
    ws.fake.kill('helios-b');
    const { report } = await run();
    expect(report.sessions.map((s) => [s.sessionId, s.status])).toEqual([
      ['a', 'in_sync'],
      ['b', 'respawned'],
    ]);
    expect(ws.fake.sessions().find((s) => s.name === 'helios-a')!.panePid).toBe(pid);
  });

  it('a failed respawn is a failed session with its reason, and the run is "with issues"', async () => {
    await ws.checkpoint(['a', 'b']);
    ws.fake.failRespawn('helios-b', '`/bin/sh` exited within 5 ms of starting');
    const { report, events } = await run();
    expect(report.stage).toBe('LIVE');
    expect(report.withIssues).toBe(true);
    expect(report.sessions.find((s) => s.sessionId === 'b')).toMatchObject({
      status: 'failed',
      reason: 'exited_immediately',
    });
    expect(events.some((e) => e.topic === 'recovery.session.failed')).toBe(true);
  });

  it('destroys nothing while the multiplexer cannot be observed, and says so', async () => {
    await ws.checkpoint(['a']);
    ws.fake.addForeign('users-own');
    ws.fake.blind('tmux');
    const { report } = await run();
    expect(ws.fake.executed.filter((a) => a.kind === 'terminate')).toEqual([]);
    expect(ws.fake.sessions().map((s) => s.name)).toEqual(['users-own']);
    expect(report.withIssues).toBe(true);
    expect(report.sessions[0]).toMatchObject({ status: 'failed' });
  });

  it('never touches a session that is not ours, even under --prune', async () => {
    await ws.checkpoint(['a']);
    ws.fake.addForeign('users-own');
    const bus = createEventBus();
    const report = await recover({ config: { ...ws.config, prune: true }, bus });
    bus.complete();
    expect(report.stage).toBe('LIVE');
    expect(
      ws.fake
        .sessions()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['helios-a', 'users-own']);
  });
});
