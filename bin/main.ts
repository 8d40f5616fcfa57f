import { GLOBAL_OPTIONS, UsageError } from './cli-args.js';
import { type CliIo, processIo } from './cli-io.js';

const USAGE = `Usage: helios-recover <command> [options]

Crash recovery for terminal workspaces: the checkpoint is the desired state; recover reconciles
the live multiplexer sessions and lanes toward it.

Commands:
  checkpoint   record the live sessions of the workspace as the next checkpoint
  checkpoints  list the checkpoint generations; \`checkpoints diff A B\` compares two
  plan         show what recover would do (dry run); --out FILE saves it
  recover      restore the workspace to its newest valid checkpoint
  status       show stage, lock, checkpoint and crash history
  orphans      find what a crash left behind; clean what is proven ours, review the rest
  run          the runtime daemon: recover, then keep the workspace reconciled
  session      open / close / list sessions through the running daemon
  safe-mode    show or leave crash-loop safe mode
  import       convert a tmux-resurrect save file or a heliosApp v1 checkpoint
  service      install / uninstall / show the systemd user unit that keeps \`run\` going

Run \`helios-recover <command> --help\` for the options of a command;
\`helios-recover --version\` prints the version.`;

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  checkpoint: async () => (await import('./command-checkpoint.js')).runCheckpointCommand,
  checkpoints: async () => (await import('./command-checkpoints.js')).runCheckpointsCommand,
  plan: async () => (await import('./command-plan.js')).runPlanCommand,
  recover: async () => (await import('./command-recover.js')).runRecoverCommand,
  status: async () => (await import('./command-status.js')).runStatusCommand,
  orphans: async () => (await import('./command-orphans.js')).runOrphansCommand,
  run: async () => (await import('./command-run.js')).runRunCommand,
  session: async () => (await import('./command-session.js')).runSessionCommand,
  'safe-mode': async () => (await import('./command-safe-mode.js')).runSafeModeCommand,
  import: async () => (await import('./command-import.js')).runImportCommand,
  service: async () => (await import('./command-service.js')).runServiceCommand,
};

/** Runs the CLI; returns the exit status. Bad input is one line on stderr and status 1. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = commandFirst(argv);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(`${USAGE}\n`);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`helios-recover ${await packageVersion()}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    const { didYouMean } = await import('./did-you-mean.js');
    io.err(
      `helios-recover: unknown command "${name}"${didYouMean(name, Object.keys(COMMANDS))} (try \`helios-recover --help\`)\n`,
    );
    return 1;
  }
  try {
    return await (
      await load()
    )(rest, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Every error is one line; a usage error names the help that explains it.
    const help = error instanceof UsageError ? ` (see \`helios-recover ${name} --help\`)` : '';
    io.err(`helios-recover: ${message}${help}\n`);
    if (!help && process.env.HELIOS_DEBUG && error instanceof Error) io.err(`${error.stack}\n`);
    return 1;
  }
}

/** This package's version, from its package.json (found from the source or the built file). */
async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const text = await readFile(new URL(candidate, import.meta.url), 'utf8');
      const manifest = JSON.parse(text) as { name?: string; version?: string };
      if (manifest.name === 'helios-recover' && manifest.version) return manifest.version;
    } catch {
      // not there: the next candidate
    }
  }
  return 'unknown';
}

/** Global options may come before the command: `helios-recover -w ws plan` = `plan -w ws`. */
function commandFirst(argv: readonly string[]): string[] {
  const valued = new Set<string>();
  for (const [long, spec] of Object.entries(GLOBAL_OPTIONS)) {
    if (spec.type === 'string') {
      valued.add(`--${long}`);
      if ('short' in spec) valued.add(`-${spec.short}`);
    }
  }
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) return [arg, ...argv.slice(0, i), ...argv.slice(i + 1)];
    if (valued.has(arg)) i += 1;
  }
  return [...argv];
}
