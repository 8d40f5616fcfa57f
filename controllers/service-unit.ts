import { RefusedError } from '../specs/remedies.js';
import { execFile } from 'node:child_process';
import { access, constants, mkdir, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { shellQuote } from '../specs/shell-quoting.js';
import {
  isOurUnit,
  renderUnit,
  runArgsOf,
  DAEMON_NODE_FLAGS,
  SERVICE_ENVIRONMENT,
  type ServiceRun,
  unitNameOf,
} from '../specs/systemd-unit.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { DEFAULT_TIMEOUT_MS, type WorkspaceConfig } from './workspace-config.js';

// `service install|uninstall|status`: the user unit of a workspace's `run` (its text: specs/
// systemd-unit.ts) and the systemctl calls around it, always `--user`; nowhere else.

/** What runs the daemon: node and the built CLI file, both absolute. */
export interface ServiceProgram {
  readonly nodePath: string;
  readonly cliPath: string;
}

/** Whether a systemd user manager answers (`systemctl --user show-environment`). */
export type SystemdReach =
  | { readonly state: 'reachable' }
  | { readonly state: 'no-systemctl' | 'no-user-manager'; readonly reason: string };

/** One systemctl call and how it went (its first line of output). */
export interface SystemctlStep {
  readonly command: string;
  readonly ok: boolean;
  readonly output: string;
}

export interface UnitFile {
  readonly unit: string;
  readonly path: string;
  /** The unit name as a shell word (an escaped name holds a backslash). */
  readonly shellUnit: string;
}

export interface ServiceInstall extends UnitFile {
  readonly text: string;
  readonly written: 'created' | 'replaced' | 'unchanged' | 'printed';
  /** Absent when systemd was not asked (`--print`, `--no-start`). */
  readonly systemd?: SystemdReach;
  readonly steps: readonly SystemctlStep[];
  readonly started: boolean;
  /** The same daemon as a shell command, for where systemd cannot run it. */
  readonly manualCommand: string;
}

export interface ServiceUninstall extends UnitFile {
  readonly removed: boolean;
  readonly systemd?: SystemdReach;
  readonly steps: readonly SystemctlStep[];
}

export interface ServiceStatus extends UnitFile {
  readonly installed: boolean;
  readonly ours: boolean;
  /** The unit's ExecStart= line, when installed. */
  readonly execStart: string | null;
  readonly systemd: SystemdReach;
  /** `systemctl --user is-enabled` / `is-active`, when a user manager answers. */
  readonly enabled: string | null;
  readonly active: string | null;
}

/** `$XDG_CONFIG_HOME/systemd/user/<unit>` (an XDG dir counts only when absolute), else ~/.config. */
export function unitFileOf(config: WorkspaceConfig): UnitFile {
  const unit = unitNameOf(config.workspaceId);
  const xdg = config.env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(config.env.HOME || homedir(), '.config');
  return { unit, path: join(base, 'systemd', 'user', unit), shellUnit: shellQuote(unit) };
}

/** The workspace options the daemon is started with: those of this command, made absolute. */
function serviceRunOf(config: WorkspaceConfig): ServiceRun {
  const socketPath = config.tmux.socketPath;
  return {
    workspaceId: config.workspaceId,
    stateDir: config.stateDir,
    backend: config.backend,
    tmuxSocket: config.tmux.socketName,
    tmuxSocketPath: socketPath === undefined ? undefined : resolve(socketPath),
    timeoutMs: config.timeoutMs === DEFAULT_TIMEOUT_MS ? undefined : config.timeoutMs,
    prune: config.prune,
    allowEnv: config.allowEnv,
    restorePrograms: config.restorePrograms,
  };
}

const firstLine = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .find(Boolean) ?? '';

function systemctl(config: WorkspaceConfig, args: readonly string[]) {
  return new Promise<{ ran: boolean; ok: boolean; output: string; answer: string }>((done) => {
    execFile(
      'systemctl',
      ['--user', ...args],
      { env: config.env, timeout: config.timeoutMs, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const [out, err] = [firstLine(stdout), firstLine(stderr)];
        if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT')
          done({ ran: false, ok: false, output: 'no systemctl on PATH', answer: '' });
        else if (error?.killed)
          done({
            ran: true,
            ok: false,
            output: `timed out after ${config.timeoutMs} ms`,
            answer: '',
          });
        // A failure says why on stderr; is-enabled and is-active answer on stdout either way.
        else
          done({
            ran: true,
            ok: !error,
            output: error ? err || out : out || err,
            answer: out || err,
          });
      },
    );
  });
}

async function step(config: WorkspaceConfig, args: readonly string[]): Promise<SystemctlStep> {
  const { ok, output } = await systemctl(config, args);
  return { command: `systemctl --user ${args.map(shellQuote).join(' ')}`, ok, output };
}

/** Is a user manager there to talk to? Never starts anything. */
export async function reachSystemd(config: WorkspaceConfig): Promise<SystemdReach> {
  const probe = await systemctl(config, ['show-environment']);
  if (!probe.ran) return { state: 'no-systemctl', reason: probe.output };
  if (!probe.ok) return { state: 'no-user-manager', reason: probe.output || 'no answer' };
  return { state: 'reachable' };
}

/** The file's text, or null when there is none. */
async function readUnit(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Runs the steps in order, stopping at the first that fails. */
async function steps(config: WorkspaceConfig, calls: readonly string[][]) {
  const done: SystemctlStep[] = [];
  for (const args of calls) {
    done.push(await step(config, args));
    if (!done.at(-1)!.ok) break;
  }
  return done;
}

export interface InstallRequest {
  readonly force?: boolean;
  /** false: write the file only (`--no-start`). */
  readonly start?: boolean;
  /** Return the text and write nothing (`--print`). */
  readonly print?: boolean;
}

/** Writes the unit (never over a unit of someone else's without `force`), then starts it. */
export async function installService(
  config: WorkspaceConfig,
  program: ServiceProgram,
  request: InstallRequest = {},
): Promise<ServiceInstall> {
  const file = unitFileOf(config);
  const run = serviceRunOf(config);
  const environment = SERVICE_ENVIRONMENT.flatMap((name) => {
    const value = config.env[name];
    return value ? [[name, value] as const] : [];
  });
  const text = renderUnit({ ...program, run, environment });
  const manualCommand = [program.nodePath, ...DAEMON_NODE_FLAGS, program.cliPath, ...runArgsOf(run)]
    .map(shellQuote)
    .join(' ');
  const result = { ...file, text, manualCommand, steps: [], started: false };
  if (request.print) return { ...result, written: 'printed' };
  try {
    await access(program.cliPath, constants.R_OK);
  } catch {
    throw new Error(`the built CLI ${program.cliPath} is missing: run \`npm run build\` first`);
  }
  const existing = await readUnit(file.path);
  if (existing !== null && !isOurUnit(existing) && !request.force)
    throw new RefusedError(
      `${file.path} exists and was not written by helios-recover: left as it is`,
      { code: 'force_service_unit' },
    );
  const written = existing === null ? 'created' : existing === text ? 'unchanged' : 'replaced';
  if (written !== 'unchanged') {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFileAtomic(file.path, text, 0o644);
  }
  if (request.start === false) return { ...result, written };
  const systemd = await reachSystemd(config);
  if (systemd.state !== 'reachable') return { ...result, written, systemd };
  const done = await steps(config, [['daemon-reload'], ['enable', '--now', file.unit]]);
  return { ...result, written, systemd, steps: done, started: done.every((s) => s.ok) };
}

/** Stops and disables the unit, then removes its file: only a file `install` wrote. */
export async function uninstallService(config: WorkspaceConfig): Promise<ServiceUninstall> {
  const file = unitFileOf(config);
  const existing = await readUnit(file.path);
  if (existing === null) return { ...file, removed: false, steps: [] };
  if (!isOurUnit(existing))
    throw new Error(`${file.path} was not written by helios-recover: left as it is`);
  const systemd = await reachSystemd(config);
  const reachable = systemd.state === 'reachable';
  const disabled = reachable ? await steps(config, [['disable', '--now', file.unit]]) : [];
  if (disabled.some((s) => !s.ok)) return { ...file, removed: false, systemd, steps: disabled };
  await rm(file.path);
  const reloaded = reachable ? await steps(config, [['daemon-reload']]) : [];
  return { ...file, removed: true, systemd, steps: [...disabled, ...reloaded] };
}

/** Whether the unit file is there (and ours), and what systemd says of it when it answers. */
export async function serviceStatus(config: WorkspaceConfig): Promise<ServiceStatus> {
  const file = unitFileOf(config);
  const existing = await readUnit(file.path);
  const execStart = existing?.split('\n').find((line) => line.startsWith('ExecStart=')) ?? null;
  const systemd = await reachSystemd(config);
  const ask = async (verb: string) =>
    systemd.state === 'reachable' ? (await systemctl(config, [verb, file.unit])).answer : null;
  return {
    ...file,
    installed: existing !== null,
    ours: existing !== null && isOurUnit(existing),
    execStart,
    systemd,
    enabled: await ask('is-enabled'),
    active: await ask('is-active'),
  };
}
