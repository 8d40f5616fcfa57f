import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../specs/checkpoint-codec.js';
import type { CheckpointSpec } from '../../specs/checkpoint-spec.js';
import { loadNewestCheckpoint, writeCheckpoint } from '../../store/checkpoint-store.js';
import { createSandbox, runCli, type Sandbox } from '../support/sandbox.js';

/** `checkpoint` with --backend auto (tmux and zellij) and `zellij` being `bin`. */
async function checkpointWith(sandbox: Sandbox, bin: string) {
  const saved = process.env.HELIOS_ZELLIJ_BIN;
  process.env.HELIOS_ZELLIJ_BIN = bin;
  try {
    const auto = sandbox.cli.slice(0, sandbox.cli.indexOf('--backend'));
    return await runCli(['checkpoint', '--timeout', '2000', ...auto]);
  } finally {
    if (saved === undefined) delete process.env.HELIOS_ZELLIJ_BIN;
    else process.env.HELIOS_ZELLIJ_BIN = saved;
  }
}

describe('checkpoint warns only about a multiplexer that matters', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-q1']);
  });
  afterEach(() => sandbox.cleanup());

  it('says nothing about zellij when it is not installed and no entry uses it', async () => {
    const result = await checkpointWith(sandbox, join(sandbox.root, 'no-such-zellij'));
    expect(result.code, result.err).toBe(0);
    expect(result.err).toBe('');
    expect(result.out).toContain('1 session (helios-q1)');
  });

  it('warns when zellij is installed but fails', async () => {
    const broken = join(sandbox.root, 'broken-zellij');
    writeFileSync(broken, '#!/bin/sh\necho "zellij: cannot start" >&2\nexit 1\n');
    chmodSync(broken, 0o755);
    const result = await checkpointWith(sandbox, broken);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toMatch(/warning: zellij not observed: /);
  });

  it('warns when it is not installed but the previous checkpoint has a session on it', async () => {
    const missing = join(sandbox.root, 'no-such-zellij');
    expect((await checkpointWith(sandbox, missing)).code).toBe(0);
    const loaded = await loadNewestCheckpoint(sandbox.stateDir);
    if (!loaded.ok) throw new Error(loaded.reason);
    const document = JSON.parse(readFileSync(loaded.file, 'utf8')) as CheckpointSpec;
    const tmuxEntry = document.sessions[0]!;
    await writeCheckpoint(
      sandbox.stateDir,
      sealCheckpoint({
        ...document,
        generation: document.generation + 1,
        sessions: [
          ...document.sessions,
          {
            ...tmuxEntry,
            sessionId: 'z1',
            terminalId: 't-z1',
            sessionName: 'helios-z1',
            multiplexer: 'zellij',
            windows: undefined,
          },
        ],
      }),
    );
    const result = await checkpointWith(sandbox, missing);
    expect(result.err).toMatch(/warning: zellij not observed: .*no-such-zellij not found on PATH/);
  });
});
