import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';

/** After a respawn, the replayed scrollback ends on a line of its own: prompts never join. */
describe('replayed scrollback ends on a clean line', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(() => sandbox.cleanup());

  const screen = () => sandbox.tmux('capture-pane', '-p', '-t', '=helios-r1:');
  const lines = () => screen().split('\n');

  it("starts the new shell's prompt on its own line, below the old one", async () => {
    await sandbox.startSessions(['helios-r1']);
    sandbox.tmux('send-keys', '-t', '=helios-r1:', 'echo MARK-$((40+2))', 'Enter');
    await waitFor(() => lines().includes('MARK-42'), 5_000, 'the first command');
    // The pane ends with the old prompt, no newline after it: what the checkpoint saves.
    await waitFor(() => /[#$] ?$/.test(screen().trimEnd()), 5_000, 'the old prompt');
    const prompt = screen().trimEnd().split('\n').at(-1)!.trimEnd();
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    sandbox.tmux('kill-server');

    const recovered = await runCli(['recover', ...sandbox.cli]);
    expect(recovered.code, recovered.err).toBe(0);
    await waitFor(() => lines().includes('MARK-42'), 5_000, 'the replayed scrollback');
    sandbox.tmux('send-keys', '-t', '=helios-r1:', 'echo NEW-$((40+3))', 'Enter');
    await waitFor(() => lines().includes('NEW-43'), 5_000, 'a command in the new shell');

    const shown = lines();
    const typed = shown.findIndex((line) => line.includes('echo NEW-$((40+3))'));
    expect(shown[typed], shown.join('\n')).toBe(`${prompt} echo NEW-$((40+3))`);
    // Right above it: the replayed old prompt, alone on its line.
    expect(shown[typed - 1]!.trimEnd()).toBe(prompt);
    for (const line of shown) expect(line).not.toContain(`${prompt}${prompt}`);
  });
});
