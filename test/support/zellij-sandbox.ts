import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientContext } from '../../clients/client-context.js';
import { createZellijSession } from '../../clients/zellij-create.js';
import type { SessionEntrySpec } from '../../specs/checkpoint-spec.js';
import { readEnviron } from './tmux-facts.js';
import { type Sandbox, ZELLIJ_EMULATOR_DIR } from './sandbox.js';

/** The environment under which `zellij` is the test emulator with sandbox-private dirs. */
export function zellijEnv(sandbox: Sandbox): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${ZELLIJ_EMULATOR_DIR}:${process.env.PATH ?? ''}`,
    ZELLIJ_SOCKET_DIR: join(sandbox.root, 'zellij-sock'),
    XDG_CACHE_HOME: join(sandbox.root, 'zellij-cache'),
  };
}

export function zellij(
  env: NodeJS.ProcessEnv,
  args: string[],
  extra: Record<string, string> = {},
  cwd?: string,
): string {
  return execFileSync('zellij', args, {
    env: { ...env, ...extra },
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Server pids by session name (the emulator records them in its cache dir). */
export function zellijServers(env: NodeJS.ProcessEnv): Map<string, number> {
  const dir = join(env.XDG_CACHE_HOME!, 'zellij', 'contract_version_1', 'session_info');
  const servers = new Map<string, number>();
  if (!existsSync(dir)) return servers;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, 'server.pid');
    if (existsSync(file)) servers.set(name, Number(readFileSync(file, 'utf8')));
  }
  return servers;
}

/** The pane shell of a live session: the server's child, with its env. */
export function zellijPane(serverPid: number): { pid: number; env: Record<string, string> } | null {
  const children = readFileSync(`/proc/${serverPid}/task/${serverPid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const pid = Number(children[0]);
  return Number.isInteger(pid) && pid > 0 ? { pid, env: readEnviron(pid) } : null;
}

/** Stops every emulated session (and so their pane shells). */
export function stopZellij(env: NodeJS.ProcessEnv): void {
  try {
    zellij(env, ['kill-all-sessions']);
  } catch {
    // nothing live
  }
}

/** Creates a zellij session whose first pane runs `script` (a launcher) through /bin/sh. */
export const createWithLauncher = (
  ctx: ClientContext,
  session: SessionEntrySpec,
  script: string,
  replacesExited = false,
) => createZellijSession(ctx, { session, command: ['/bin/sh', script], replacesExited });
