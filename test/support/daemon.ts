import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Sandbox } from './sandbox.js';
import { waitFor } from './sandbox.js';

const CLI = fileURLToPath(new URL('../../dist/bin/helios-recover.js', import.meta.url));
/**
 * The built CLI handed a world that pauses at `HELIOS_TEST_PAUSE_AT=<STAGE>[:<ms>]`, for tests
 * that catch a recovery mid-way (test/fixtures/paused-cli/); production carries no pause.
 */
export const PAUSED_CLI = fileURLToPath(
  new URL('../fixtures/paused-cli/helios-recover-paused.mjs', import.meta.url),
);
const cliFor = (env: Record<string, string>) => (env.HELIOS_TEST_PAUSE_AT ? PAUSED_CLI : CLI);

/** A real `helios-recover run` process with its output captured. */
export interface DaemonProcess {
  readonly child: ChildProcess;
  output(): string;
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<number | string>;
}

export function startRun(
  sandbox: Sandbox,
  env: Record<string, string> = {},
  extra: string[] = [],
): DaemonProcess {
  const child = spawn(
    process.execPath,
    [cliFor(env), 'run', '--interval', '300', ...extra, ...sandbox.cli],
    {
      env: { ...process.env, CI: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    child,
    exited,
    output: () => text,
    waitFor: (needle, timeoutMs = 15_000) =>
      waitFor(() => text.includes(needle), timeoutMs, `"${needle}" in:\n${text}`),
  };
}

/** Runs the CLI as a separate process (e.g. a `session open` client) and captures its result. */
export function runCliProcess(
  args: string[],
): Promise<{ code: number; out: string; finishedAt: number }> {
  return runCliProcessWithEnv(args, {});
}

/** As runCliProcess, with extra environment variables. */
export function runCliProcessWithEnv(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string; finishedAt: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliFor(env), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => resolve({ code: code ?? -1, out, finishedAt: Date.now() }));
  });
}
