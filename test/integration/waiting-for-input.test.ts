import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWaitingForInput } from '../../clients/proc-table.js';
import { createSandbox, type Sandbox, waitFor } from '../support/sandbox.js';

/* The proof of survival that is shorter than a settle window: a pane's program waits for its user. */
describe('isWaitingForInput on real tmux panes', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(() => sandbox.cleanup());
  const panePid = (name: string) =>
    Number(sandbox.tmux('display-message', '-p', '-t', `=${name}:`, '#{pane_pid}').trim());

  it('is true for a shell at its prompt and a pager, false for a sleeper and a gone process', async () => {
    const dir = sandbox.dir('w');
    sandbox.tmux('new-session', '-d', '-s', 'shell', '-c', dir, 'bash --noprofile --norc -i');
    sandbox.tmux('new-session', '-d', '-s', 'pager', '-c', dir, 'less /etc/hostname');
    sandbox.tmux('new-session', '-d', '-s', 'sleeper', '-c', dir, 'sleep 600');
    await sandbox.panesReady();
    await waitFor(() => isWaitingForInput(panePid('shell')), 10_000, 'the shell at its prompt');
    await waitFor(() => isWaitingForInput(panePid('pager')), 10_000, 'the pager waiting');
    expect(isWaitingForInput(panePid('sleeper'))).toBe(false);
    const gone = panePid('sleeper');
    sandbox.tmux('kill-session', '-t', '=sleeper');
    await waitFor(() => !isWaitingForInput(gone), 5_000, 'gone');
    expect(isWaitingForInput(2 ** 22 + 12345)).toBe(false);
  });
});
