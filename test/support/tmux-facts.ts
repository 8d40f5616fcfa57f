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
