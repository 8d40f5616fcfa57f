import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { benchWorkspace, CLI, median, round, timeIt, tmux } from './measure.js';

const run = promisify(execFile);

/**
 * Saves: `helios-recover checkpoint` of N sessions of 3 windows x 2 panes, each pane with 200
 * lines of scrollback, against a bare `node -e 0` in the same run. Reports the time above node
 * and the cost per pane at each size (the growth: linear or not).
 */
export async function benchSave(sizes: readonly number[], runs: number) {
  const root = mkdtempSync(join(tmpdir(), 'helios-bench-save-'));
  const results = [];
  try {
    for (const n of sizes) {
      const socket = `helios-bench-save-${process.pid}-${n}`;
      const fill =
        'i=0; while [ $i -lt 200 ]; do echo line $i of scrollback; i=$((i+1)); done; exec /bin/sh';
      const saves: number[] = [];
      const nodes: number[] = [];
      const args: string[] = [];
      const push = (...command: string[]) => args.push(...(args.length ? [';'] : []), ...command);
      try {
        for (let i = 0; i < n; i += 1) {
          for (let w = 0; w < 3; w += 1) {
            const tail = ['-c', root, 'sh', '-c', fill];
            if (w === 0)
              push('new-session', '-d', '-x', '120', '-y', '40', '-s', `save-${i}`, ...tail);
            else push('new-window', '-d', '-t', `=save-${i}:${w}`, ...tail);
            push('split-window', '-d', '-t', `=save-${i}:${w}.0`, ...tail);
          }
          if ((i + 1) % 10 === 0 || i === n - 1) {
            await run('tmux', ['-L', socket, ...args.splice(0)]);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 1500)); // the panes have printed
        for (let r = 0; r < runs; r += 1) {
          const stateDir = join(root, `state-${n}`); // one instance: its first save tags the sessions
          nodes.push(await timeIt(() => run(process.execPath, ['-e', '0'])));
          saves.push(
            await timeIt(() =>
              run(process.execPath, [
                CLI,
                'checkpoint',
                ...benchWorkspace('bench', stateDir, socket),
              ]),
            ),
          );
        }
      } finally {
        tmux(socket, ['kill-server']); // also when making or saving failed: no server is left
      }
      const save = median(saves);
      const node = median(nodes);
      results.push({
        sessions: n,
        panes: n * 6,
        saveMs: round(save),
        bareNodeMs: round(node),
        aboveNodeMs: round(save - node),
        perPaneMs: Math.round(((save - node) / (n * 6)) * 100) / 100,
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    return results;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
