import { readFileSync, readlinkSync } from 'node:fs';
import type { Sandbox } from './sandbox.js';

/** A live tmux session as a test sees it: name, pane pid, cwd and the pane shell's env. */
export interface SessionFacts {
  readonly name: string;
  readonly panePid: number;
  readonly cwd: string;
  readonly env: Record<string, string>;
}

export function readEnviron(pid: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const eq = pair.indexOf('=');
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

export function tmuxSessions(sandbox: Sandbox): SessionFacts[] {
  let listing = '';
  try {
    listing = sandbox.tmux(
      'list-sessions',
      '-F',
      '#{session_name}\t#{pane_pid}\t#{pane_current_path}',
    );
  } catch {
    return [];
  }
  return listing
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [name = '', pid = '', cwd = ''] = line.split('\t');
      return {
        name,
        panePid: Number(pid),
        cwd: cwd || readlinkSync(`/proc/${pid}/cwd`),
        env: readEnviron(Number(pid)),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The listings the whole-workspace checks compare, as tmux-resurrect's fixtures were made. */
export const PANE_LISTING =
  '#{session_name}|#{window_index}|#{window_name}|#{pane_index}|#{pane_current_path}|#{window_zoomed_flag}|#{pane_current_command}';
export const LAYOUT_LISTING = '#{session_name}|#{window_index}|#{window_layout}';

/**
 * A LAYOUT_LISTING up to pane ids: each layout string without its leading checksum and without
 * each cell's pane id, which depend on the order panes were created in.
 */
export const layoutsUpToPaneIds = (listing: string): string =>
  listing
    .split('\n')
    .map((line) => line.replace(/\|[0-9a-f]{4},/, '|').replace(/(\d+x\d+,\d+,\d+),\d+/g, '$1'))
    .join('\n');
