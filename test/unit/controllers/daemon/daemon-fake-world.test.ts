import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendControlRequest } from '../../../../controllers/daemon/control-client.js';
import { controlSocketPath } from '../../../../controllers/daemon/control-server.js';
import { createEventBus } from '../../../../controllers/event-bus.js';
import {
  type Daemon,
  type DaemonOptions,
  startDaemon,
} from '../../../../controllers/daemon/run-daemon.js';
import type { RecoveryEvent } from '../../../../specs/events.js';
import type { World } from '../../../../controllers/world.js';
import type { RunReport } from '../../../../specs/reports.js';
import { loadNewestCheckpoint } from '../../../../store/checkpoint-store.js';
import { createFakeWorkspace, type FakeWorkspace } from '../../../fakes/fake-workspace.js';

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the daemon, on a fake world', () => {
  let ws: FakeWorkspace;
  let daemon: Daemon | null;
  let events: RecoveryEvent[];
  let recovered: RunReport | null;

  const start = async (options: DaemonOptions = {}, world = ws.fake.world) => {
    const bus = createEventBus();
    bus.events$.subscribe((event) => events.push(event));
    daemon = await startDaemon({ ...ws.config, world }, bus, {
      intervalMs: 50,
      checkpointIntervalMs: 3_600_000,
      onRecovered: (report) => (recovered = report),
      ...options,
    });
    return daemon;
  };
  const names = () =>
    ws.fake
      .sessions()
      .map((s) => s.name)
      .sort();
  const request = (body: Record<string, unknown>) =>
    sendControlRequest(controlSocketPath(ws.config.stateDir), body, 5_000);

  beforeEach(async () => {
    ws = createFakeWorkspace();
    daemon = null;
    events = [];
    recovered = null;
    await ws.checkpoint(['a', 'b']);
  });
  afterEach(async () => {
    await daemon?.stop();
    ws.cleanup();
  });

  it('stops retrying a terminal failure while the plan asks for the same respawn', async () => {
    ws.fake.missingCommand('helios-b');
    const respawnsOfB = () =>
      ws.fake.executed.filter((a) => a.kind === 'respawn' && a.key === 'session:b').length;
    await start({ backoffBaseMs: 10 }); // a failure that is only backed off comes back in ms
    await until(() => recovered !== null, 'recovery');
    const passes = ws.fake.observations();
    await until(() => ws.fake.observations() >= passes + 20, '20 more passes');
    expect(respawnsOfB()).toBeLessThanOrEqual(2); // recover's try and the loop's first
    expect(names()).toEqual(['helios-a']);
    await ws.checkpoint(['a', 'c']); // b leaves the desired state: its park is released
    await until(() => names().includes('helios-c'), 'c respawned');
  });

  it('recovers first, then restores what a crash took on a later pass, but not what the user closed', async () => {
    await start();
    await until(() => recovered !== null, 'recovery');
    expect(recovered!.stage).toBe('LIVE');
    expect(names()).toEqual(['helios-a', 'helios-b']);
    const respawnsOf = (id: string) =>
      ws.fake.executed.filter((a) => a.kind === 'respawn' && a.session.sessionId === id).length;
    ws.fake.kill('helios-b'); // closed while its server runs: the user meant it
    const passes = ws.fake.observations();
    await until(() => ws.fake.observations() >= passes + 3, 'three more passes');
    expect(names()).toEqual(['helios-a']);
    expect(respawnsOf('b')).toBe(1);
    ws.fake.crash(); // the server went, with every session: lost, not closed
    await until(() => names().includes('helios-a'), 'the crash repaired');
    expect(respawnsOf('a')).toBe(2);
    expect(names()).toEqual(['helios-a']);
  });

  it('serves open, list and close over its control socket, and never resurrects a closed session', async () => {
    await start();
    await until(() => recovered !== null, 'recovery');
    const extra = join(ws.root, 'extra');
    mkdirSync(extra);
    const opened = await request({ op: 'open', cwd: extra, env: { K: 'v' } });
    expect(opened).toMatchObject({ ok: true });
    const id = (opened as { result: { sessionId: string } }).result.sessionId;
    expect(names()).toContain(`helios-${id}`);
    const listed = await request({ op: 'list' });
    expect(listed).toMatchObject({
      ok: true,
      result: expect.arrayContaining([expect.objectContaining({ sessionId: id, cwd: extra })]),
    });
    expect(await request({ op: 'close', sessionId: id })).toMatchObject({ ok: true });
    expect(names()).toEqual(['helios-a', 'helios-b']);
    await new Promise((resolve) => setTimeout(resolve, 200)); // several passes
    expect(names()).toEqual(['helios-a', 'helios-b']);
  });

  it('answers an open without capturing the live sessions or scanning for orphans; a close scans', async () => {
    const seen = { captures: 0, scans: 0 };
    const fake = ws.fake.world;
    const world: World = {
      ...fake,
      capture: (backend, target, signal) => {
        seen.captures += 1;
        return fake.capture(backend, target, signal);
      },
      observe: (desired, options, signal) => {
        if (options.orphans) seen.scans += 1;
        return fake.observe(desired, options, signal);
      },
    };
    await start({ intervalMs: 3_600_000 }, world); // no loop pass while the requests run
    await until(() => recovered !== null, 'recovery');
    const before = { ...seen };
    const opened = await request({ op: 'open', cwd: ws.root });
    expect(opened).toMatchObject({ ok: true });
    expect(seen).toEqual(before);
    const id = (opened as { result: { sessionId: string } }).result.sessionId;
    expect(await request({ op: 'close', sessionId: id })).toMatchObject({ ok: true });
    expect(seen).toEqual({ captures: before.captures, scans: before.scans + 1 });
  });

  it('refuses what it cannot do with one reason, and changes nothing', async () => {
    await start();
    await until(() => recovered !== null, 'recovery');
    expect(await request({ op: 'close', sessionId: 'nope' })).toEqual({
      ok: false,
      error: 'no session nope in workspace fake',
    });
    expect(await request({ op: 'open', cwd: 'relative/dir' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/absolute path/),
    });
    expect(await request({ op: 'open', cwd: join(ws.root, 'gone') })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not an existing absolute directory/),
    });
    expect(await request({ op: 'open', cwd: ws.root, lane: 'no-such-lane' })).toMatchObject({
      ok: false,
      error: 'no lane no-such-lane in workspace fake',
    });
    ws.fake.failRespawn('*', 'the shell exited at once');
    expect(await request({ op: 'open', cwd: ws.root })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/was added but not started: the shell exited at once/),
    });
    expect(names()).toEqual(['helios-a', 'helios-b']);
  });

  it('holds requests made during recovery until LIVE, then applies them', async () => {
    let release: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => (release = resolve));
    // RESTORING waits (its first execute of the world) until the test lets it go on.
    const fake = ws.fake.world;
    let first = true;
    await start(
      {},
      {
        ...fake,
        execute: async (actions, ctx, onOutcome) => {
          if (first) await paused;
          first = false;
          return fake.execute(actions, ctx, onOutcome);
        },
      },
    );
    await until(
      () =>
        events.some((e) => e.topic === 'recovery.stage.changed' && e.payload.to === 'RESTORING'),
      'RESTORING',
    );
    const reply = request({ op: 'list' });
    let answered = false;
    void reply.then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(answered).toBe(false);
    release();
    expect(await reply).toMatchObject({ ok: true });
    expect(recovered!.stage).toBe('LIVE');
  });

  it('does not start its loop when recovery fails, and says why', async () => {
    ws.cleanup();
    ws = createFakeWorkspace(); // a state dir, but no checkpoint at all
    mkdirSync(ws.config.stateDir, { mode: 0o700 });
    const exit = await (await start()).done;
    expect(exit.code).toBe(1);
    expect(exit.reason).toMatch(/checkpoint/);
    expect(ws.fake.executed).toEqual([]);
  });

  it('destroys nothing and respawns nothing while its multiplexer is unobservable', async () => {
    await start();
    await until(() => recovered !== null, 'recovery');
    ws.fake.addForeign('users-own');
    ws.fake.blind('tmux');
    ws.fake.kill('helios-a');
    const before = ws.fake.executed.length;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(ws.fake.executed.slice(before)).toEqual([]);
    expect(names()).toEqual(['helios-b', 'users-own']);
  });

  it('writes a final checkpoint on a clean stop, with what the live sessions show', async () => {
    const d = await start();
    await until(() => recovered !== null, 'recovery');
    const moved = join(ws.root, 'moved');
    mkdirSync(moved);
    ws.fake.moveTo('helios-a', moved);
    await d.stop();
    expect(await d.done).toMatchObject({ code: 0, finalCheckpointProblem: null });
    daemon = null;
    const loaded = await loadNewestCheckpoint(ws.config.stateDir);
    expect(
      loaded.ok && loaded.desired.sessions.map((s) => [s.sessionId, s.workingDirectory]),
    ).toEqual([
      ['a', moved],
      ['b', ws.root],
    ]);
  });
});
