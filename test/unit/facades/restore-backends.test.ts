import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RestorationPipeline } from '../../../facades/restoration-pipeline.js';
import { sealCheckpoint } from '../../../specs/checkpoint-codec.js';
import type { Multiplexer } from '../../../specs/checkpoint-spec.js';
import { createFakeWorkspace, type FakeWorkspace } from '../../fakes/fake-workspace.js';

/*
 * The backend a session is created on is the one it is verified and reported on, for every
 * combination of what the host hands in (its v1 checkpoint, which names no multiplexer, or a
 * desired-state document with tmux and zellij entries) and the backend it chose.
 */
type Choice = Multiplexer | 'auto';
const CHOICES: Choice[] = ['tmux', 'zellij', 'auto'];

describe('restore(): created, verified and reported on one backend', () => {
  let ws: FakeWorkspace;
  beforeEach(() => {
    ws = createFakeWorkspace();
  });
  afterEach(() => ws.cleanup());
  const pipeline = (backend: Choice) =>
    new RestorationPipeline({ ...ws.config, workspace: 'fake', backend, world: ws.config.world });
  const createdOn = () => new Map(ws.fake.sessions().map((s) => [s.name, s.backend]));

  it.each(CHOICES)('heliosApp v1 object, backend %s', async (backend) => {
    const sessions = ['a', 'b'].map((id) => ({
      sessionId: id,
      terminalId: `term-${id}`,
      laneId: null,
      workingDirectory: ws.root,
      environmentVariables: {},
      scrollbackSnapshot: '',
      zelijjSessionName: `helios-${id}`,
      shellCommand: '/bin/sh',
    }));
    const checksum = createHash('sha256').update(JSON.stringify(sessions)).digest('hex');
    const result = await pipeline(backend).restore({
      version: 1,
      timestamp: Date.now(),
      checksum,
      sessions,
    });
    expect(result.failed).toEqual([]);
    const expected = backend === 'auto' ? 'zellij' : backend; // heliosApp runs zellij
    for (const session of result.restored) {
      expect(session.multiplexer).toBe(expected);
      expect(createdOn().get(session.sessionName)).toBe(expected);
    }
  });

  it.each(CHOICES)(
    'desired-state document with tmux and zellij entries, backend %s',
    async (backend) => {
      const entry = (id: string, multiplexer: Multiplexer) => ({
        sessionId: id,
        terminalId: id,
        laneId: null,
        multiplexer,
        sessionName: `helios-${id}`,
        workingDirectory: ws.root,
        environment: {},
        shellCommand: ['/bin/sh'],
        scrollback: '',
      });
      const document = sealCheckpoint({
        workspaceId: 'fake',
        generation: 0,
        createdAt: new Date().toISOString(),
        host: 'fake',
        sessions: [entry('t', 'tmux'), entry('z', 'zellij')],
        lanes: [],
        shareWorkers: [],
      });
      const result = await pipeline(backend).restore(document);
      expect(result.failed).toEqual([]);
      expect(result.restored).toHaveLength(2);
      for (const session of result.restored) {
        const asked = session.sessionId === 't' ? 'tmux' : 'zellij';
        const expected = backend === 'auto' ? asked : backend;
        expect(session.multiplexer).toBe(expected);
        expect(createdOn().get(session.sessionName)).toBe(expected);
      }
    },
  );
});
