import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeLaunchScript } from '../../../actions/launch-command.js';
import type { SessionEntrySpec } from '../../../specs/checkpoint-spec.js';

const session = (shellCommand: string[]): SessionEntrySpec => ({
  sessionId: 'dev',
  terminalId: 'dev',
  laneId: null,
  multiplexer: 'tmux',
  sessionName: 'dev',
  workingDirectory: '/w',
  environment: { PATH: '/saved/bin:/usr/bin' },
  shellCommand,
  scrollback: '',
  checksum: `sha256:${'0'.repeat(64)}`,
});

describe("a pane's launcher", () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'helios-launch-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));
  const ctx = () => ({
    stateDir,
    workspaceId: 'ws',
    instanceId: 'i-1',
    env: { SHELL: '/bin/zsh' },
  });
  const pane = { windowIndex: 0, paneIndex: 1, scrollback: '', first: false };

  it("runs the session's command in its first pane only, unless that command is a shell", async () => {
    const devServer = session(['npm', 'run', 'dev']);
    const first = readFileSync(await writeLaunchScript(ctx(), devServer), 'utf8');
    expect(first).toContain('exec npm run dev\n');
    const split = await writeLaunchScript(ctx(), devServer, {}, pane);
    expect(split).toMatch(/\/launch\/dev~0\.1\.sh$/);
    const text = readFileSync(split, 'utf8');
    expect(text).not.toContain('npm run dev');
    expect(text).toContain('exec /bin/zsh\nfi');
    expect(text).toContain('"pane":"0.1"');
    const shell = readFileSync(
      await writeLaunchScript(ctx(), session(['bash', '-l']), {}, pane),
      'utf8',
    );
    expect(shell).toContain('exec bash -l\nfi');
  });

  it('sets the saved PATH (tmux gives a new pane its client PATH whatever -e says)', async () => {
    const text = readFileSync(await writeLaunchScript(ctx(), session(['bash'])), 'utf8');
    expect(text).toContain('export PATH=/saved/bin:/usr/bin\n');
  });
});
