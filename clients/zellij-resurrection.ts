import { lstat, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';
import { ensurePrivateSubdir } from '../store/private-dir.js';

/** A resurrection layout larger than this is not copied (zellij's own are a few KiB). */
const MAX_LAYOUT_BYTES = 4 * 1024 * 1024;

/**
 * Where zellij 0.45 keeps the resurrection layout of session `name`:
 * `$XDG_CACHE_HOME/zellij/contract_version_1/session_info/<name>/session-layout.kdl` (else
 * under `~/.cache`). It holds the session's tabs, panes, cwds and commands as zellij last saved
 * them: `delete-session` removes it.
 */
export function zellijLayoutFile(env: NodeJS.ProcessEnv, name: string): string {
  return join(zellijCache(env), 'contract_version_1', 'session_info', name, 'session-layout.kdl');
}

/** The metadata file zellij 0.45 writes about a second after a session starts, then keeps fresh. */
export function zellijMetadataFile(env: NodeJS.ProcessEnv, name: string): string {
  return join(zellijCache(env), 'contract_version_1', 'session_info', name, 'session-metadata.kdl');
}

const zellijCache = (env: NodeJS.ProcessEnv) =>
  join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'zellij');

/**
 * Keeps a copy of zellij's own resurrection layout of `name` beside zellij's cache before
 * anything deletes it (`<cache>/zellij/helios-recover-kept/<name>-<time>.kdl`, 0600): what it
 * holds that our checkpoint lacks is offered to the user (`zellij --layout FILE`), never thrown
 * away. Not in the state dir: the layout holds pane commands verbatim, which may carry secrets
 * the state dir never takes. Null when zellij keeps none; throws when one exists but cannot be
 * kept (then nothing may delete it). Returns the copy and what it holds.
 */
export async function keepZellijLayout(
  env: NodeJS.ProcessEnv,
  name: string,
  now = new Date(),
): Promise<{ file: string; text: string } | null> {
  const source = zellijLayoutFile(env, name);
  const info = await lstat(source).catch(() => null);
  if (info === null) return null;
  if (!info.isFile()) throw new Error(`${source} is not a regular file`);
  if (info.size > MAX_LAYOUT_BYTES) throw new Error(`${source} is larger than 4 MiB`);
  const dir = join(zellijCache(env), 'helios-recover-kept');
  await ensurePrivateSubdir(dir);
  const target = join(dir, `${name}-${now.toISOString().replace(/[:.]/g, '-')}.kdl`);
  const text = await readFile(source, 'utf8');
  await writeFileAtomic(target, text, 0o600);
  return { file: target, text };
}
