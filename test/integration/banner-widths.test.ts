import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cellWidth } from '../../banner/fit-width.js';
import { commandLine } from '../../banner/render-remedy.js';
import { shellQuote } from '../../specs/shell-quoting.js';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';

const CLI = fileURLToPath(new URL('../../dist/bin/helios-recover.js', import.meta.url));

/**
 * The recovery summary in real tmux panes of 80, 100 and 120 columns, for a workspace whose
 * paths are in CJK script and whose suggested commands are long (a long state dir, -w, -L):
 * no line is wider than the pane, the box's right border lines up, and the suggested command
 * still reads (and pastes) whole.
 */
describe('the summary fits the terminal', () => {
  let sandbox: Sandbox;
  let terminal: Sandbox;
  let stateDir: string;
  let flags: string[];
  let gone: string;
  beforeEach(async () => {
    sandbox = createSandbox();
    terminal = createSandbox();
    stateDir = join(sandbox.root, '状态目录', '工作区-甲乙丙丁');
    flags = ['-w', sandbox.workspaceId, '--state-dir', stateDir, '-L', sandbox.socket];
    flags.push('--backend', 'tmux');
    const kept = sandbox.dir('项目', '前端-应用');
    gone = sandbox.dir('项目', '很长的目录名称-后端服务');
    sandbox.tmux('new-session', '-d', '-s', 'helios-w1', '-c', kept, 'bash --norc -i');
    sandbox.tmux('new-session', '-d', '-s', 'helios-w2', '-c', gone, 'bash --norc -i');
    await sandbox.panesReady();
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const taken = await runCli(['checkpoint', ...flags]);
    expect(taken.code, taken.err).toBe(0);
    sandbox.tmux('kill-server');
    rmSync(gone, { recursive: true });
  });
  afterEach(() => {
    terminal.cleanup();
    sandbox.cleanup();
  });

  const pane = (...extra: string[]) =>
    terminal.tmux('capture-pane', '-p', ...extra, '-t', '=term:').split('\n');

  /** Runs `recover` in a pane of `columns`, returns the pane's lines once the summary is up. */
  async function summaryIn(columns: number, env = ''): Promise<{ rows: string[]; raw: string }> {
    try {
      sandbox.tmux('kill-server'); // the survivor goes again: every run respawns it
    } catch {
      // no server left: nothing to stop
    }
    const command = `env -u CI ${env} ${shellQuote(process.execPath)} ${shellQuote(CLI)} recover ${flags.map(shellQuote).join(' ')}; echo EXIT=$?; sleep 60`;
    terminal.tmux('new-session', '-d', '-s', 'term', '-x', String(columns), '-y', '50', command);
    await waitFor(
      () => pane().some((row) => row.includes('Press any key to dismiss.')),
      20_000,
      `the summary in ${columns} columns`,
    );
    const rows = pane();
    const raw = pane('-e').join('\n');
    terminal.tmux('send-keys', '-t', '=term:', 'x');
    await waitFor(() => pane().some((row) => row.startsWith('EXIT=')), 5_000, 'the exit');
    terminal.tmux('kill-session', '-t', '=term:');
    return { rows, raw };
  }

  it.each([80, 100, 120])('in %i columns: no line wider, the border straight', async (cols) => {
    const { rows, raw } = await summaryIn(cols, cols === 80 ? 'NO_COLOR=1' : '');
    const said = rows.join('\n');
    for (const row of rows) expect(cellWidth(row), said).toBeLessThanOrEqual(cols);
    const top = rows.findIndex((row) => row.startsWith('┌'));
    const bottom = rows.findIndex((row) => row.startsWith('└'));
    expect(top, said).toBeGreaterThanOrEqual(0);
    expect(bottom, said).toBeGreaterThan(top + 3);
    const box = rows.slice(top, bottom + 1).map((row) => row.trimEnd());
    const width = cellWidth(box[0]!);
    for (const row of box) {
      expect(cellWidth(row), said).toBe(width);
      expect(row, said).toMatch(/^[┌│└].*[┐│┘]$/);
    }
    // What the box says, as a reader copies it: the failure with its CJK path, and the
    // command to run again, whole (its ` \` continuations joined), options and values intact.
    const inner = box
      .slice(1, -1)
      .map((row) => row.slice(2, -2).trimEnd())
      .join('\n');
    expect(inner.replace(/\s*\n\s*/g, ' ')).toContain(`directory ${gone} no longer exists`);
    const again = commandLine(['recover'], {
      workspace: sandbox.workspaceId,
      stateDir,
      tmuxSocket: sandbox.socket,
      backend: 'tmux',
    });
    expect(cellWidth(again)).toBeGreaterThan(100);
    const pasted = inner.replace(/ \\\n */g, ' ');
    expect(pasted, inner).toContain(`\`${again}\``);
    expect(said).not.toContain('…');
    // Colour as Node decides: none under NO_COLOR, some on tmux's terminal otherwise.
    if (cols === 80) expect(raw).not.toMatch(/\u001b\[[\d;]*m/);
    else expect(raw).toMatch(/\u001b\[[\d;]*m/);
  });
});
