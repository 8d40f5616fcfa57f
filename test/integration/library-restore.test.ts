import { createHash } from 'node:crypto';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  configure,
  type HeliosV1Checkpoint,
  OrphanReconciler,
  type RecoveryEvent,
  RefusedError,
  RestorationPipeline,
  runStatus,
} from '../../index.js';
import { createSandbox, type Sandbox, libraryOptions } from '../support/sandbox.js';

/** heliosApp's own checkpoint of `sessions`, with its checksum. */
function hostCheckpoint(sessions: HeliosV1Checkpoint['sessions']): HeliosV1Checkpoint {
  const checksum = createHash('sha256').update(JSON.stringify(sessions)).digest('hex');
  return { version: 1, timestamp: '2026-12-01T10:00:00.000Z', checksum, sessions };
}

describe("restore() takes the host's own checkpoint", () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(() => sandbox.cleanup());

  const options = () => libraryOptions(sandbox);
  const session = (n: number, extra: Partial<HeliosV1Checkpoint['sessions'][number]> = {}) => ({
    sessionId: `s${n}`,
    terminalId: `term-${n}`,
    laneId: n === 1 ? 'lane-a' : null,
    workingDirectory: sandbox.dir(`w${n}`),
    environmentVariables: { PROJECT: `p${n}` },
    scrollbackSnapshot: '',
    zelijjSessionName: `helios-h${n}`,
    shellCommand: '/bin/sh',
    ...extra,
  });

  it('restores on the backend asked for, verified there, and says who came back', async () => {
    const pipeline = new RestorationPipeline(options());
    const events: RecoveryEvent[] = [];
    pipeline.events$.subscribe((event) => events.push(event));
    const checkpoint = hostCheckpoint([
      session(1),
      session(2, { shellCommand: `cd ${sandbox.dir('w2')} && exec /bin/sh` }),
      session(3, { workingDirectory: '/nonexistent/helios-gone' }),
    ]);
    const result = await pipeline.restore(checkpoint);

    expect(result.restored).toEqual([
      expect.objectContaining({
        sessionId: 's1',
        terminalId: 'term-1',
        multiplexer: 'tmux',
        status: 'respawned',
      }),
      expect.objectContaining({
        sessionId: 's2',
        terminalId: 'term-2',
        laneId: null,
        multiplexer: 'tmux',
      }),
    ]);
    // A lane id with no worktree here protects nothing: it is not claimed.
    expect(result.restored[0]!.laneId).toBeNull();
    expect(result.failed).toEqual([
      expect.objectContaining({
        sessionId: 's3',
        terminalId: 'term-3',
        reason: 'cwd_missing',
        remedy: expect.objectContaining({ code: 'create_directory' }),
      }),
    ]);
    const live = sandbox.tmux('list-sessions', '-F', '#{session_name}').split('\n');
    expect(live).toEqual(expect.arrayContaining(['helios-h1', 'helios-h2']));
    const stages = events
      .filter((e) => e.topic === 'recovery.stage.changed')
      .map((e) => (e.payload as { to: string }).to);
    expect(stages).toEqual(['INVENTORYING', 'RESTORING', 'LIVE']);
    expect(events.at(-1)).toMatchObject({
      topic: 'recovery.completed',
      payload: { restored: 2, failed: 1, withIssues: true },
    });

    // What was restored is the workspace's checkpoint now: status and the orphan scan see it.
    const status = await runStatus(configure(options()));
    expect(status.checkpoint).toMatchObject({ sessions: 3 });
    const report = await new OrphanReconciler(options()).scan();
    expect(report.safeToTerminate).toEqual([]);
  });

  it('refuses a tampered checkpoint as the CLI import does, and creates nothing', async () => {
    const tampered = { ...hostCheckpoint([session(1)]), checksum: 'deadbeef' };
    const restore = new RestorationPipeline(options()).restore(tampered);
    await expect(restore).rejects.toThrow(RefusedError);
    await expect(restore).rejects.toThrow(/refused: its checksum "deadbeef" does not match/);
    await expect(restore).rejects.toMatchObject({ remedy: { code: 'force_import' } });
    expect(() => sandbox.tmux('has-session', '-t', '=helios-h1')).toThrow();
  });

  it('scans for orphans with no restore first, and tells the host bus what it cleaned', async () => {
    sandbox.tmux('new-session', '-d', '-s', 'helios-mine', '-c', sandbox.dir('mine'));
    const published: RecoveryEvent[] = [];
    const reconciler = new OrphanReconciler({ ...options(), publish: (e) => published.push(e) });
    const report = await reconciler.scan();
    expect(report).toMatchObject({ safeToTerminate: [], needsReview: [], held: [] });
    expect(await reconciler.cleanup(report)).toEqual({
      terminated: 0,
      removed: 0,
      reviewPending: 0,
    });
    expect(published.map((e) => e.topic)).toEqual(['recovery.orphans.cleaned']);
    expect(sandbox.tmux('list-sessions', '-F', '#{session_name}').trim()).toBe('helios-mine');

    // The restore pipeline hands the host bus every event its events$ carries.
    const seen: string[] = [];
    const pipeline = new RestorationPipeline({ ...options(), publish: (e) => seen.push(e.topic) });
    await pipeline.restore(hostCheckpoint([session(1)]));
    expect(seen[0]).toBe('recovery.stage.changed');
    expect(seen.at(-1)).toBe('recovery.completed');
  });

  it('refuses what would blur the workspace: another id, an empty replacement, a shared state dir', async () => {
    const pipeline = new RestorationPipeline(options());
    const failedEvents: string[] = [];
    pipeline.events$.subscribe((e) => {
      if (e.topic === 'recovery.session.failed') failedEvents.push(e.payload.sessionId);
    });
    // A session the import cannot take fails alone, named, beside the others.
    const result = await pipeline.restore(
      hostCheckpoint([session(1), session(2, { zelijjSessionName: 'bad:name' })]),
    );
    expect(result.restored.map((s) => s.sessionId)).toEqual(['s1']);
    expect(result.failed).toEqual([
      expect.objectContaining({
        sessionId: 's2',
        terminalId: 'term-2',
        reason: 'checkpoint_corrupt',
      }),
    ]);
    expect(failedEvents).toEqual(['s2']);
    await expect(pipeline.restore(hostCheckpoint([]))).rejects.toThrow(
      /refusing to replace it with an empty one/,
    );
    const document = JSON.parse(readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8'));
    await expect(
      new RestorationPipeline(options()).restore({ ...document, workspaceId: 'someone-else' }),
    ).rejects.toThrow(/belongs to workspace someone-else/);
    // No checkpoint in a dir others may write: the scan refuses instead of cleaning there.
    const shared = sandbox.dir('shared-state');
    chmodSync(shared, 0o777);
    await expect(new OrphanReconciler({ ...options(), stateDir: shared }).scan()).rejects.toThrow(
      /writable/,
    );
  });
});
