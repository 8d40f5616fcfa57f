import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refreshCheckpoint } from '../../../../controllers/daemon/refresh-checkpoint.js';
import type { World } from '../../../../controllers/world.js';
import { sealCheckpoint } from '../../../../specs/checkpoint-codec.js';
import { loadNewestCheckpoint, writeCheckpoint } from '../../../../store/checkpoint-store.js';
import { createFakeWorkspace, type FakeWorkspace } from '../../../fakes/fake-workspace.js';

const TOKEN = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';

describe("the daemon's checkpoints keep secrets out of the state dir", () => {
  let ws: FakeWorkspace;
  beforeEach(() => {
    ws = createFakeWorkspace();
  });
  afterEach(() => ws.cleanup());

  it('withholds secret variables the workspace does not allow, and redacts scrollback', async () => {
    await ws.checkpoint(['a']);
    const capture: World['capture'] = async (backend) => ({
      status: 'ok',
      items: [
        {
          backend,
          name: 'helios-a',
          workspaceId: ws.config.workspaceId,
          instanceId: ws.config.instanceId,
          sessionId: 'a',
          cwd: ws.root,
          environment: { GITHUB_TOKEN: TOKEN, DB_PASSWORD: 'hunter22', EDITOR: 'vim' },
          shellCommand: ['/bin/sh'],
          scrollback: `$ echo ${TOKEN}\n${TOKEN}`,
        },
      ],
    });
    const config = {
      ...ws.config,
      allowEnv: ['DB_*'],
      world: { ...ws.fake.world, capture },
    };
    const loaded = await loadNewestCheckpoint(config.stateDir);
    if (!loaded.ok) throw new Error(loaded.reason);
    const written = await refreshCheckpoint(config, loaded.desired);
    expect(written.ok).toBe(true);
    const text = readFileSync(join(config.stateDir, 'checkpoint.json'), 'utf8');
    expect(text).not.toContain(TOKEN);
    const [session] = JSON.parse(text).sessions;
    expect(session.environment).toEqual({ DB_PASSWORD: 'hunter22', EDITOR: 'vim' });
    expect(session.scrollback).toBe('$ echo [redacted]\n[redacted]');
  });

  it('purges what an older version wrote of a session that is not live', async () => {
    const entry = (id: string) => ({
      sessionId: id,
      terminalId: id,
      laneId: null,
      multiplexer: 'tmux' as const,
      sessionName: `helios-${id}`,
      workingDirectory: ws.root,
      environment: { GITHUB_TOKEN: TOKEN, EDITOR: 'vim' },
      shellCommand: ['/bin/sh'],
      scrollback: `old ${TOKEN}`,
    });
    await writeCheckpoint(
      ws.config.stateDir,
      sealCheckpoint({
        workspaceId: ws.config.workspaceId,
        generation: 0,
        createdAt: new Date().toISOString(),
        host: 'fake',
        sessions: [entry('dead')],
        lanes: [],
        shareWorkers: [],
      }),
    );
    const loaded = await loadNewestCheckpoint(ws.config.stateDir);
    if (!loaded.ok) throw new Error(loaded.reason);
    const opened = entry('opened');
    expect((await refreshCheckpoint(ws.config, loaded.desired, { add: [opened] })).ok).toBe(true);
    const [dead, asked] = JSON.parse(
      readFileSync(join(ws.config.stateDir, 'checkpoint.json'), 'utf8'),
    ).sessions;
    expect(dead.environment).toEqual({ EDITOR: 'vim' });
    expect(dead.scrollback).toBe('old [redacted]');
    // Opened by request: created from this checkpoint with what it asked for.
    expect(asked.environment).toEqual(opened.environment);
  });

  it("a control request's checkpoint writes its change only: no live session is captured", async () => {
    await ws.checkpoint(['a']);
    const before = await loadNewestCheckpoint(ws.config.stateDir);
    if (!before.ok) throw new Error(before.reason);
    let captures = 0;
    const capture: World['capture'] = async () => {
      captures += 1;
      return { status: 'ok', items: [] };
    };
    const config = { ...ws.config, world: { ...ws.fake.world, capture } };
    const [kept] = before.desired.sessions;
    const opened = { ...kept!, sessionId: 'b', terminalId: 'b', sessionName: 'helios-b' };
    const { checksum: _checksum, ...draft } = opened;
    const written = await refreshCheckpoint(config, before.desired, {
      add: [draft],
      refreshLive: false,
    });
    expect([written.ok, captures]).toEqual([true, 0]);
    const after = await loadNewestCheckpoint(ws.config.stateDir);
    if (!after.ok) throw new Error(after.reason);
    expect(after.desired.sessions.map((s) => s.sessionId)).toEqual(['a', 'b']);
    expect(after.desired.sessions[0]).toEqual(kept);
    // The loop's own checkpoints still capture the live sessions.
    expect((await refreshCheckpoint(config, after.desired)).ok).toBe(true);
    expect(captures).toBe(1);
  });
});
