import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure } from '../../controllers/workspace-config.js';
import type { WorkspaceConfig } from '../../controllers/workspace-config.js';
import { sealCheckpoint } from '../../specs/checkpoint-codec.js';
import type { CheckpointSpec } from '../../specs/checkpoint-spec.js';
import { writeCheckpoint } from '../../store/checkpoint-store.js';
import { createFakeWorld, type FakeWorld } from './fake-world.js';

/** A workspace on a fake world: a real private state dir in /tmp, no multiplexer at all. */
export interface FakeWorkspace {
  readonly config: WorkspaceConfig;
  readonly fake: FakeWorld;
  readonly root: string;
  /** The next checkpoint generation naming these session ids (tmux, in `root`), sealed. */
  document(ids: readonly string[]): CheckpointSpec;
  /** Writes `document(ids)` as the next checkpoint generation. */
  checkpoint(ids: readonly string[]): Promise<void>;
  cleanup(): void;
}

let generation = 0;

export function createFakeWorkspace(): FakeWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'helios-fake-'));
  const fake = createFakeWorld();
  const config: WorkspaceConfig = {
    // A socket no server listens on: anything that slipped past the fake world finds nothing.
    ...configure({
      workspace: 'fake',
      stateDir: join(root, 'state'),
      backend: 'tmux',
      tmuxSocket: `helios-fake-${process.pid}-nowhere`,
      timeoutMs: 1_000,
    }),
    world: fake.world,
  };
  /** The next generation naming these session ids (tmux, in `root`), sealed. */
  const document = (ids: readonly string[]): CheckpointSpec =>
    sealCheckpoint({
      workspaceId: config.workspaceId,
      generation: generation++,
      createdAt: new Date().toISOString(),
      host: 'fake',
      sessions: ids.map((id) => ({
        sessionId: id,
        terminalId: id,
        laneId: null,
        multiplexer: 'tmux' as const,
        sessionName: `helios-${id}`,
        workingDirectory: root,
        environment: {},
        shellCommand: ['/bin/sh'],
        scrollback: '',
      })),
      lanes: [],
      shareWorkers: [],
    });
  return {
    config,
    fake,
    root,
    document,
    async checkpoint(ids) {
      await writeCheckpoint(config.stateDir, document(ids));
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
