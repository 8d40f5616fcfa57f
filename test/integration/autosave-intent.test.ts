import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock } from '../../controllers/workspace-lock.js';
import { loadNewestCheckpoint } from '../../store/checkpoint-store.js';
import { readFileSync } from 'node:fs';
import { RestorationPipeline } from '../../facades/restoration-pipeline.js';
import type { CheckpointSpec } from '../../specs/checkpoint-spec.js';
import {
  createSandbox,
  killTmuxServer,
  libraryOptions,
  runCli,
  type Sandbox,
} from '../support/sandbox.js';

/** The sessions of the newest checkpoint, by name, and its generation. */
async function newest(sandbox: Sandbox): Promise<{ generation: number; names: string[] }> {
  const loaded = await loadNewestCheckpoint(sandbox.stateDir);
  if (!loaded.ok) throw new Error(loaded.reason);
  return {
    generation: loaded.desired.generation,
    names: loaded.desired.sessions.map((s) => s.sessionName).sort(),
  };
}

const autosave = (sandbox: Sandbox) => runCli(['checkpoint', '--autosave', ...sandbox.cli]);

describe('checkpoint intent on real tmux: closed on purpose or lost with the server', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(() => sandbox.cleanup());

  it('drops a session killed while its server runs, and keeps those lost with a killed server', async () => {
    await sandbox.startSessions(['alpha', 'beta', 'notes']);
    const first = await runCli(['checkpoint', ...sandbox.cli]);
    expect(first.code, first.err).toBe(0);

    sandbox.tmux('kill-session', '-t', '=notes');
    const closed = await autosave(sandbox);
    expect(closed, closed.err).toMatchObject({ code: 0, out: '', err: '' });
    expect(await newest(sandbox)).toEqual({ generation: 1, names: ['alpha', 'beta'] });

    // Nothing changed: no generation is spent on the same state.
    expect((await autosave(sandbox)).code).toBe(0);
    expect((await newest(sandbox)).generation).toBe(1);

    // The server dies; a new one starts with a session of its own (a user opening tmux again).
    await killTmuxServer(sandbox);
    await sandbox.startSessions(['scratch']);
    const json = await runCli(['checkpoint', '--autosave', '--json', ...sandbox.cli]);
    expect(JSON.parse(json.out)).toMatchObject({ status: 'written', generation: 2 });
    expect(await newest(sandbox)).toEqual({
      generation: 2,
      names: ['alpha', 'beta', 'scratch'],
    });

    // A plain checkpoint keeps them too and says why; --drop forgets one of them.
    const plain = await runCli(['checkpoint', ...sandbox.cli]);
    expect(plain.err).toContain('tmux session alpha is not running: it went with its server');
    const dropped = await runCli(['checkpoint', '--drop', 'alpha', ...sandbox.cli]);
    expect(dropped.code, dropped.err).toBe(0);
    expect((await newest(sandbox)).names).toEqual(['beta', 'scratch']);
  });

  it('writes nothing while a recovery holds the workspace, and nothing over a good save when all is gone', async () => {
    await sandbox.startSessions(['alpha']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    await sandbox.startSessions(['beta']);

    const held = await acquireLock(sandbox.stateDir, 'recovery (test)', Date.now);
    if ('refused' in held) throw new Error(held.refused);
    try {
      const skipped = await runCli(['checkpoint', '--autosave', '--json', ...sandbox.cli]);
      expect(skipped.code).toBe(0);
      expect(JSON.parse(skipped.out)).toMatchObject({
        status: 'skipped',
        reason: expect.stringContaining('the workspace is held by'),
      });
      expect(await newest(sandbox)).toEqual({ generation: 0, names: ['alpha'] });
    } finally {
      await held.release();
    }

    sandbox.tmux('kill-server');
    const empty = await runCli(['checkpoint', '--autosave', '--json', ...sandbox.cli]);
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.out)).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('refusing to overwrite it with an empty one'),
    });
    expect(await newest(sandbox)).toEqual({ generation: 0, names: ['alpha'] });
  });

  it('after a recovery onto a new server, a session closed there is dropped, not kept as lost', async () => {
    await sandbox.startSessions(['alpha', 'beta']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    await killTmuxServer(sandbox);
    const recovered = await runCli(['recover', '--no-wait', ...sandbox.cli]);
    expect(recovered.code, recovered.out + recovered.err).toBe(0);
    sandbox.tmux('kill-session', '-t', '=beta');
    expect((await autosave(sandbox)).code).toBe(0);
    expect((await newest(sandbox)).names).toEqual(['alpha']);
  });

  it("the same after the host's in-process restore of the checkpoint it reads back", async () => {
    await sandbox.startSessions(['alpha', 'beta']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    const saved = await loadNewestCheckpoint(sandbox.stateDir);
    if (!saved.ok) throw new Error(saved.reason);
    const document = JSON.parse(readFileSync(saved.file, 'utf8')) as CheckpointSpec;
    await killTmuxServer(sandbox);
    const restored = await new RestorationPipeline(libraryOptions(sandbox)).restore(document);
    expect(restored.failed).toEqual([]);
    sandbox.tmux('kill-session', '-t', '=beta');
    expect((await autosave(sandbox)).code).toBe(0);
    expect((await newest(sandbox)).names).toEqual(['alpha']);
  });
});
