import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ObserveOptions } from '../observers/observe-actual-state.js';
import type { TmuxTarget } from '../clients/tmux-target.js';
import type { ZellijTarget } from '../clients/zellij-target.js';
import type { Multiplexer } from '../specs/checkpoint-spec.js';
import { instanceIdOf } from '../specs/markers.js';
import { realPathOf } from '../store/private-dir.js';
import { ALLOW_ENV_NAME } from '../specs/secrets.js';
import type { World } from './world.js';

/** `auto`: each session on the multiplexer its checkpoint entry names. */
export type BackendChoice = Multiplexer | 'auto';

/** Everything that says which workspace to act on and how to reach its multiplexers. */
export interface WorkspaceConfig {
  readonly workspaceId: string;
  /** This user's instance of the workspace (its state dir): what the markers prove as ours. */
  readonly instanceId: string;
  readonly stateDir: string;
  readonly backend: BackendChoice;
  readonly tmux: TmuxTarget;
  readonly zellij: ZellijTarget;
  /** Per-call timeout of every external command. */
  readonly timeoutMs: number;
  /** Cleanup may terminate live tagged sessions missing from the desired state (`--prune`). */
  readonly prune: boolean;
  /** The environment helios-recover runs in ($SHELL, $PATH, what a multiplexer client gets). */
  readonly env: NodeJS.ProcessEnv;
  /** What reconciles observe and execute on; the real world unless a test hands a fake one. */
  readonly world?: World | undefined;
  /** Secret variables a checkpoint or an import may keep after all (`--allow-env`): names or globs. */
  readonly allowEnv?: readonly string[] | undefined;
  /** Programs a restore starts again beyond the default table (`*`: every one). */
  readonly restorePrograms?: readonly string[] | undefined;
}

export const DEFAULT_WORKSPACE = 'default';
export const DEFAULT_TIMEOUT_MS = 10_000;
/** `--timeout` bounds: below 100 ms nothing answers; above 10 min a hang looks like a hang. */
export const MIN_TIMEOUT_MS = 100;
export const MAX_TIMEOUT_MS = 600_000;

/**
 * The state dir of a workspace: `$XDG_STATE_HOME/helios-recover/<id>`, else
 * `~/.local/state/helios-recover/<id>`; an explicit `--state-dir` wins.
 */
export function resolveStateDir(
  workspaceId: string,
  env: NodeJS.ProcessEnv,
  explicit?: string,
): string {
  if (explicit) return explicit;
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'helios-recover', workspaceId);
}

/** Observer options for a workspace; `scanOrphans` adds the wave-4 scan. */
export function observeOptionsOf(
  config: WorkspaceConfig,
  now: () => number,
  scanOrphans: boolean,
): ObserveOptions {
  const backend = forcedBackend(config.backend);
  return {
    stateDir: config.stateDir,
    tmux: config.tmux,
    zellij: config.zellij,
    timeoutMs: config.timeoutMs,
    env: config.env,
    backends: backend ? [backend] : [],
    now,
    orphans: scanOrphans ? { repositories: [] } : undefined,
  };
}

/** The backend a plan forces on every session, or undefined for `auto`. */
export function forcedBackend(choice: BackendChoice): Multiplexer | undefined {
  return choice === 'auto' ? undefined : choice;
}

/** What a caller (the CLI, the demo, a host app) says about the workspace to act on. */
export interface WorkspaceOptions {
  readonly workspace?: string | undefined;
  readonly stateDir?: string | undefined;
  readonly backend?: BackendChoice | undefined;
  /** tmux socket name (`-L`). */
  readonly tmuxSocket?: string | undefined;
  /** tmux socket path (`-S`). */
  readonly tmuxSocketPath?: string | undefined;
  readonly zellijCommand?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly prune?: boolean | undefined;
  /** Secret variables checkpoints and imports keep after all: names or `*` globs. */
  readonly allowEnv?: readonly string[] | undefined;
  /** Programs a restore starts again beyond the default table: names, or `*` for all. */
  readonly restorePrograms?: readonly string[] | undefined;
  /** What runs act on: the real world unless given (a host app's or a test's own world). */
  readonly world?: World | undefined;
}

const RESTORE_NAME = /^(\*|[A-Za-z0-9_.+-]+)$/;
const WORKSPACE_ID = /^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,127}$/;

/** Builds the configuration; throws a one-line error for invalid options (boundary check). */
export function configure(
  options: WorkspaceOptions,
  env: NodeJS.ProcessEnv = process.env,
): WorkspaceConfig {
  const workspaceId = options.workspace ?? DEFAULT_WORKSPACE;
  if (!WORKSPACE_ID.test(workspaceId)) {
    throw new Error(`invalid workspace id "${workspaceId}": letters, digits and _ . @ + - only`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < MIN_TIMEOUT_MS || timeoutMs > MAX_TIMEOUT_MS)
    throw new Error(
      `invalid timeout ${String(options.timeoutMs)}: a whole number of milliseconds from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}`,
    );
  const stateDir = resolve(resolveStateDir(workspaceId, env, options.stateDir));
  const badProgram = options.restorePrograms?.find((name) => !RESTORE_NAME.test(name));
  if (badProgram !== undefined)
    throw new Error(`invalid program name "${badProgram}": a command name, or * for every one`);
  const badAllow = options.allowEnv?.find((name) => !ALLOW_ENV_NAME.test(name));
  if (badAllow !== undefined)
    throw new Error(
      `invalid allowed variable "${badAllow}": a variable name or a glob of one (letters, digits, _ and *)`,
    );
  return {
    workspaceId,
    instanceId: instanceIdOf(process.getuid?.() ?? 0, realPathOf(stateDir)),
    stateDir,
    backend: options.backend ?? 'auto',
    tmux: { socketName: options.tmuxSocket, socketPath: options.tmuxSocketPath, env },
    zellij: { command: options.zellijCommand, env },
    timeoutMs,
    prune: options.prune ?? false,
    env,
    allowEnv: options.allowEnv ?? [],
    restorePrograms: options.restorePrograms ?? [],
    world: options.world,
  };
}
