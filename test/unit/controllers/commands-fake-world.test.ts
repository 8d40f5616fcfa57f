import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewPlan } from '../../../controllers/preview-plan.js';
import { takeCheckpoint } from '../../../controllers/checkpoint/take-checkpoint.js';
import { OrphanReconciler } from '../../../facades/orphan-reconciler.js';
import { RestorationPipeline } from '../../../facades/restoration-pipeline.js';
import { sealCheckpoint } from '../../../specs/checkpoint-codec.js';
import type { RecoveryEvent } from '../../../specs/events.js';
import { loadNewestCheckpoint, writeCheckpoint } from '../../../store/checkpoint-store.js';
import { createFakeWorkspace, type FakeWorkspace } from '../../fakes/fake-workspace.js';

/*
 * plan, checkpoint and the facades through the one reconcile contract, on a fake world: no
 * tmux, no processes. (recover, the daemon, reconcile and control requests have their own.)
 */
describe('plan, checkpoint and the facades, on a fake world', () => {
  let ws: FakeWorkspace;
  beforeEach(() => {
    ws = createFakeWorkspace();
  });
  afterEach(() => ws.cleanup());
  const options = () => ({
    workspace: ws.config.workspaceId,
    stateDir: ws.config.stateDir,
    backend: 'tmux' as const,
    world: ws.fake.world,
  });

  it('plan observes the world once and changes nothing in it', async () => {
    await ws.checkpoint(['a', 'b']);
    const preview = await previewPlan(ws.config, Date.now);
    expect(preview.ok && preview.plan.actions.map((a) => `${a.kind} ${a.key}`)).toEqual([
      'respawn session:a',
      'respawn session:b',
    ]);
    expect(ws.fake.observations()).toBe(1);
    expect(ws.fake.executed).toEqual([]);
    expect(ws.fake.sessions()).toEqual([]);
  });

  it('checkpoint captures and tags the live sessions through the world, never another workspace’s', async () => {
    ws.fake.addForeign('mine'); // untagged: the user's own session is captured, then tagged
    await ws.checkpoint(['a']);
    const pipeline = new RestorationPipeline(options());
    const restored = await pipeline.restore(JSON.stringify(ws.document(['a'])));
    expect(restored.restored.map((r) => r.sessionId)).toEqual(['a']);
    const taken = await takeCheckpoint(ws.config);
    expect(taken.ok && taken.sessions).toEqual(['helios-a', 'mine']);
    expect(ws.fake.tagged).toEqual(['helios-a', 'mine']);
    const loaded = await loadNewestCheckpoint(ws.config.stateDir);
    expect(loaded.ok && loaded.desired.sessions.map((s) => s.sessionName)).toEqual([
      'helios-a',
      'mine',
    ]);
  });

  it('checkpoint keeps the share workers the checkpoint declared (it captures sessions only)', async () => {
    await writeCheckpoint(
      ws.config.stateDir,
      sealCheckpoint({
        workspaceId: ws.config.workspaceId,
        generation: 1,
        createdAt: new Date().toISOString(),
        host: 'fake',
        sessions: [],
        lanes: [],
        shareWorkers: [{ shareId: 'share-1', terminalId: 't1', command: ['worker'] }],
      }),
    );
    ws.fake.addForeign('mine');
    const taken = await takeCheckpoint(ws.config);
    expect(taken.ok).toBe(true);
    const loaded = await loadNewestCheckpoint(ws.config.stateDir);
    expect(loaded.ok && loaded.desired.shareWorkers.map((w) => w.shareId)).toEqual(['share-1']);
  });

  it('checkpoint refuses to overwrite a checkpoint with what a blind world shows', async () => {
    await ws.checkpoint(['a']);
    ws.fake.blind('tmux');
    const taken = await takeCheckpoint(ws.config);
    expect(taken.ok).toBe(false);
    expect(ws.fake.tagged).toEqual([]);
  });

  it('the restoration facade publishes its events and the orphan facade scans the same world', async () => {
    await ws.checkpoint(['a']);
    const pipeline = new RestorationPipeline(options());
    const events: RecoveryEvent[] = [];
    pipeline.events$.subscribe((event) => events.push(event));
    const text = JSON.stringify(ws.document(['a']));
    const result = await pipeline.restore(text);
    expect(result.restored.map((r) => [r.sessionId, r.status])).toEqual([['a', 'respawned']]);
    expect(events.map((e) => e.topic)).toContain('recovery.session.restored');
    const observed = ws.fake.observations();
    const report = await new OrphanReconciler(options()).scan();
    expect(report.safeToTerminate).toEqual([]);
    expect(ws.fake.observations()).toBeGreaterThan(observed);
  });
});
