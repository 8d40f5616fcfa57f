import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeChecksum, withChecksum } from '../../specs/canonical-json.js';
import { killMarked } from '../support/crash.js';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';

const ESC = '\u001b';

/** A tmux-resurrect save of one session, with the plugin's pane contents archive beside it. */
function resurrectSave(sandbox: Sandbox, session: string, paneText: string): string {
  const cwd = sandbox.dir(session);
  const save = join(sandbox.root, 'last');
  writeFileSync(save, `pane\t${session}\t0\t1\t:*\t0\ttitle\t:${cwd}\t1\tbash\t123\t500\n`);
  const src = join(sandbox.root, 'archive-src');
  mkdirSync(join(src, 'pane_contents'), { recursive: true });
  writeFileSync(join(src, 'pane_contents', `pane-${session}:0.0`), paneText);
  execFileSync('tar', [
    'czf',
    join(sandbox.root, 'pane_contents.tar.gz'),
    '-C',
    src,
    `pane_contents/pane-${session}:0.0`,
  ]);
  return save;
}

/** The checkpoint's sessions run `shellCommand` instead (checksums kept correct). */
function runInstead(sandbox: Sandbox, shellCommand: string[]): void {
  const file = join(sandbox.stateDir, 'checkpoint.json');
  const document = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & {
    sessions: Record<string, unknown>[];
  };
  document.sessions = document.sessions.map(({ checksum: _c, ...s }) =>
    withChecksum({ ...s, shellCommand }),
  );
  const { checksum: _top, ...rest } = document;
  writeFileSync(file, JSON.stringify({ ...rest, checksum: computeChecksum(rest) }));
}

describe('queries spliced from pieces, through a tmux-resurrect pane contents archive', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(async () => {
    await killMarked(sandbox.workspaceId);
    sandbox.cleanup();
  });

  it('the restored shell is typed nothing: no query is rebuilt, and the colours are kept', async () => {
    const paneText = [
      `${ESC}[31mred text${ESC}[0m`,
      // Each of these asks once the query inside it is removed: DSR, OSC 11, and a DSR with a
      // carriage return inside (executed by the terminal, the sequence goes on).
      `${ESC}[6${ESC}[5nn`,
      `${ESC}]11;${ESC}[6n?\u0007`,
      `${ESC}[6\r${ESC}[${ESC}[5n6nn`,
      'end',
    ].join(' ');
    const save = resurrectSave(sandbox, 'helios-r1', paneText);
    const imported = await runCli(['import', 'tmux-resurrect', save, ...sandbox.cli]);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.err).toContain('the scrollback of 1 pane comes from');
    const typed = join(sandbox.root, 'typed');
    // Whatever the terminal typed into the new shell's input lands in `typed`, whole (renamed).
    runInstead(sandbox, [
      'bash',
      '--norc',
      '--noprofile',
      '-c',
      `IFS= read -r -s -t 1 -n 64 line; printf %s "$line" > ${typed}.part; mv ${typed}.part ${typed}; exec sh`,
    ]);
    const recovered = await runCli(['recover', '--no-wait', ...sandbox.cli]);
    expect(recovered.code, recovered.out + recovered.err).toBe(0);
    await waitFor(() => existsSync(typed), 5_000, 'the restored shell read its input');
    expect(JSON.stringify(readFileSync(typed, 'utf8'))).toBe('""');
    const screen = sandbox.tmux('capture-pane', '-p', '-e', '-t', '=helios-r1:');
    expect(screen).toContain(`${ESC}[31mred text`);
    expect(screen).toContain('end');
  });
});
