import { chmodSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeChecksum, withChecksum } from '../../specs/canonical-json.js';
import { sealCheckpoint } from '../../specs/checkpoint-codec.js';
import { sessionNameProblem } from '../../specs/checkpoint-spec.js';
import { writeCheckpoint } from '../../store/checkpoint-store.js';
import { killMarked } from '../support/crash.js';
import { runCliProcessWithEnv } from '../support/daemon.js';
import { createSandbox, type Sandbox, waitFor } from '../support/sandbox.js';
import { readEnviron } from '../support/tmux-facts.js';
import {
  type BackendUnderTest,
  realZellijBinary,
  tmuxBackend,
  ZELLIJ_EMULATOR,
  zellijBackend,
} from './backends.js';

const REAL_ZELLIJ = realZellijBinary();
if (!REAL_ZELLIJ)
  console.warn(
    'multiplexer contract: real zellij SKIPPED: no zellij on PATH and no HELIOS_ZELLIJ_BIN (.ci/run installs it)',
  );

const BACKENDS: [string, (sandbox: Sandbox) => BackendUnderTest, boolean][] = [
  ['tmux', tmuxBackend, true],
  ['zellij emulator', (s) => zellijBackend(s, ZELLIJ_EMULATOR, 'zellij emulator'), true],
  ['real zellij', (s) => zellijBackend(s, REAL_ZELLIJ ?? '', 'real zellij'), REAL_ZELLIJ !== null],
];

interface Entry {
  readonly id: string;
  readonly dir: string;
  readonly env?: Record<string, string>;
  readonly scrollback?: string;
  readonly name?: string;
}

describe.each(BACKENDS)('multiplexer contract: %s', (_label, make, present) => {
  let sandbox: Sandbox;
  let backend: BackendUnderTest;
  let generation = 0;

  /**
   * Writes a checkpoint naming `entries` for this backend (as a user or import would). An entry
   * the schema refuses for this backend is added by hand after sealing, as a hand-written
   * document would hold it.
   */
  async function checkpoint(entries: readonly Entry[]): Promise<void> {
    const sessions = entries.map((e) => ({
      sessionId: e.id,
      terminalId: e.id,
      laneId: null,
      multiplexer: backend.multiplexer,
      sessionName: e.name ?? `helios-${e.id}`,
      workingDirectory: e.dir,
      environment: e.env ?? {},
      shellCommand: ['/bin/sh'],
      scrollback: e.scrollback ?? '',
    }));
    const valid = (s: (typeof sessions)[number]) =>
      !sessionNameProblem(s.sessionName, s.multiplexer);
    const sealed = sealCheckpoint({
      workspaceId: sandbox.workspaceId,
      generation: generation++,
      createdAt: new Date().toISOString(),
      host: 'contract',
      sessions: sessions.filter(valid),
      lanes: [],
      shareWorkers: [],
    });
    await writeCheckpoint(sandbox.stateDir, sealed);
    if (sessions.every(valid)) return;
    const document = {
      ...sealed,
      sessions: [...sealed.sessions, ...sessions.filter((s) => !valid(s)).map(withChecksum)],
    };
    const { checksum: _, ...unsealed } = document;
    writeFileSync(
      join(sandbox.stateDir, 'checkpoint.json'),
      JSON.stringify({ ...unsealed, checksum: computeChecksum(unsealed) }),
    );
  }
  const helios = (args: string[], env = backend.env) =>
    runCliProcessWithEnv([...args, ...backend.cli], { ...env, CI: '1' });

  beforeEach(() => {
    sandbox = createSandbox();
    backend = make(sandbox);
    generation = 0;
  });
  afterEach(async () => {
    backend.cleanup();
    await killMarked(sandbox.workspaceId);
    sandbox.cleanup();
  });

  it.skipIf(!present)(
    'creates a session with the checkpoint cwd, env (socket variables too), markers and scrollback; plans nothing after; owns no orphan',
    async () => {
      const dir = sandbox.dir('work dir');
      await checkpoint([
        {
          id: 'c1',
          dir,
          env: { PROJECT: 'p1', XDG_RUNTIME_DIR: '/nonexistent/xdg', TMPDIR: '/nonexistent/tmp' },
          scrollback: 'first saved line\nlast saved line',
        },
      ]);
      // Run from inside a zellij session of the same name: what zellij would panic on.
      const recovered = await helios(['recover', '--no-wait'], {
        ...backend.env,
        ZELLIJ: '0',
        ZELLIJ_SESSION_NAME: 'helios-c1',
      });
      expect(recovered.code, recovered.out).toBe(0);
      expect(backend.sessions()).toEqual(['helios-c1']);
      await waitFor(() => backend.panePid('helios-c1') !== null, 5_000, 'the pane process');
      const pid = backend.panePid('helios-c1')!;
      await waitFor(
        () => readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('/bin/sh'),
        5_000,
        'the launcher exec',
      );
      expect(readlinkSync(`/proc/${pid}/cwd`)).toBe(dir);
      expect(readEnviron(pid)).toMatchObject({
        PROJECT: 'p1',
        XDG_RUNTIME_DIR: '/nonexistent/xdg',
        TMPDIR: '/nonexistent/tmp',
        HELIOS_WORKSPACE_ID: sandbox.workspaceId,
        HELIOS_SESSION_ID: 'c1',
      });
      await waitFor(
        () => backend.screen('helios-c1').includes('last saved line'),
        5_000,
        'replayed scrollback',
      );
      const plan = await helios(['plan']);
      expect(plan.code, plan.out).toBe(0);
      const orphans = await helios(['orphans']);
      expect(orphans.out).toMatch(/No orphans found/);

      // A survivor is reattached, never respawned over.
      const again = await helios(['recover', '--no-wait']);
      expect(again.code, again.out).toBe(0);
      expect(backend.panePid('helios-c1')).toBe(pid);
    },
  );

  it.skipIf(!present)(
    'respawns everything that crashed at once, and kills a stale tagged session under --prune (gone when it returns)',
    async () => {
      const ids = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
      await checkpoint(ids.map((id) => ({ id, dir: sandbox.dir(id) })));
      expect((await helios(['recover', '--no-wait'])).code).toBe(0);
      const names = ids.map((id) => `helios-${id}`);
      const before = backend.panePid('helios-k1');
      backend.crash(names);
      await waitFor(() => backend.sessions().length === 0, 5_000, 'the crash');
      const respawned = await helios(['recover', '--no-wait']);
      expect(respawned.code, respawned.out).toBe(0);
      expect(backend.sessions().sort()).toEqual(names);
      expect(backend.panePid('helios-k1')).not.toBe(before);

      await checkpoint([{ id: 'k1', dir: sandbox.dir('k1') }]);
      const pruned = await helios(['recover', '--no-wait', '--prune']);
      expect(pruned.code, pruned.out).toBe(0);
      expect(backend.sessions()).toEqual(['helios-k1']);
    },
  );

  it.skipIf(!present)(
    'fails a name its backend cannot address alone, with the reason; a dotted name only on tmux',
    async () => {
      const long = `helios-${'n'.repeat(120)}`;
      await checkpoint([
        { id: 'ok1', dir: sandbox.dir('ok') },
        { id: 'long1', dir: sandbox.dir('long'), name: long },
        { id: 'dot1', dir: sandbox.dir('dot'), name: 'helios-v1.2' },
      ]);
      const result = await helios(['recover', '--no-wait']);
      expect(backend.sessions()).toContain('helios-ok1');
      expect(result.code).toBe(3);
      if (backend.multiplexer === 'zellij') {
        expect(result.out).toMatch(/too long: its socket path .* bytes, at most 107 fit/);
        // zellij names may hold a dot (heliosApp writes such names): restored and found again.
        expect(backend.sessions()).toContain('helios-v1.2');
        expect((await helios(['plan'])).out).not.toMatch(/helios-v1\.2|session:dot1/);
      } else {
        expect(backend.sessions()).toContain(long);
        expect(result.out).toMatch(/dot1.*tmux rewrites "\." and ":" in session names/s);
        expect(backend.sessions()).not.toContain('helios-v1_2');
      }
    },
  );

  it.skipIf(!present)(
    'says so when its binary is missing or hangs, and destroys nothing',
    async () => {
      await checkpoint([{ id: 'm1', dir: sandbox.dir('m') }]);
      const missing = await helios(
        ['recover', '--no-wait'],
        backend.withBinary(join(sandbox.root, 'nowhere', backend.multiplexer)),
      );
      expect(missing.code, missing.out).toBe(3);
      expect(missing.out).toMatch(/not found|observation_unavailable/);

      const stub = join(sandbox.dir('stub'), backend.multiplexer);
      writeFileSync(stub, '#!/bin/sh\nexec /bin/sleep 60\n');
      chmodSync(stub, 0o755);
      const started = Date.now();
      const hung = await helios(
        ['recover', '--no-wait', '--timeout', '500'],
        backend.withBinary(stub),
      );
      expect(hung.code, hung.out).toBe(3);
      expect(hung.out).toMatch(/timed out after 500 ms/);
      expect(Date.now() - started).toBeLessThan(8_000);

      if (backend.multiplexer === 'zellij') {
        writeFileSync(stub, '#!/bin/sh\necho zellij 0.41.2\n');
        const old = await helios(['recover', '--no-wait'], backend.withBinary(stub));
        expect(old.code, old.out).toBe(3);
        expect(old.out).toMatch(
          /zellij 0\.41\.2 is not supported: helios-recover supports zellij 0\.44\.0 to 0\.45\.x/,
        );
      }
    },
  );
});
