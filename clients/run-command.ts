/** The result of running an external command: never throws for environmental failures. */
export type CommandResult =
  | {
      readonly status: 'exited';
      readonly exitCode: number;
      readonly stdout: string;
      readonly stderr: string;
    }
  | { readonly status: 'failed'; readonly reason: string };

export interface RunOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly input?: string;
}

/**
 * Runs `file args` with a timeout and an abort signal; never throws for environmental failures.
 * `failed` means it did not run to an exit code: not found, timed out, aborted or killed.
 * (node:child_process rather than execa: execa's import alone costs ~160 ms on a 2-core machine,
 * more than the whole CLI cold-start budget of docs/PERFORMANCE.md.)
 */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: RunOptions,
): Promise<CommandResult> {
  const { spawn } = await import('node:child_process');
  return new Promise<CommandResult>((resolve) => {
    if (options.signal?.aborted) {
      resolve({ status: 'failed', reason: `${file} was cancelled` });
      return;
    }
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(file, [...args], {
        env: options.env ?? process.env,
        cwd: options.cwd,
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        // Its own process group, so a timeout kills everything it started.
        detached: true,
        windowsHide: true,
      });
    } catch (error) {
      // Thrown before anything ran: an argument or env value with a NUL byte, say.
      resolve({
        status: 'failed',
        reason: didNotRun(file, args, error as NodeJS.ErrnoException, 'message'),
      });
      return;
    }
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let settled = false;
    const finish = (result: CommandResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    // Past its deadline the command is killed with its group and abandoned at once: its stdio
    // is not awaited, because another process may hold it open (a tmux client hands its stdio
    // to the server, so a stopped server would keep 'close' from ever firing).
    const abandon = (reason: string) => {
      killGroup(child.pid);
      child.stdout!.destroy();
      child.stderr!.destroy();
      child.stdin?.destroy();
      finish({ status: 'failed', reason });
    };
    const timer = setTimeout(
      () => abandon(`${file} timed out after ${options.timeoutMs} ms`),
      options.timeoutMs,
    );
    const onAbort = () => abandon(`${file} was cancelled`);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin?.on('error', () => undefined);
    if (options.input !== undefined) child.stdin!.end(options.input);
    child.once('error', (error: NodeJS.ErrnoException) =>
      finish({ status: 'failed', reason: didNotRun(file, args, error, 'code') }),
    );
    child.once('close', (code, signal) => {
      if (code === null)
        return finish({ status: 'failed', reason: `${file} did not run: killed by ${signal}` });
      finish({
        status: 'exited',
        exitCode: code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/**
 * Why `file` did not start. The kernel refuses an argument over 128 KiB, or all of them over
 * its limit, with E2BIG: the reason names the longest argument (a `NAME=value` one as that
 * variable, as tmux is given a session's variables) and its size.
 */
function didNotRun(
  file: string,
  args: readonly string[],
  error: NodeJS.ErrnoException,
  say: 'code' | 'message',
): string {
  if (error.code === 'ENOENT') return `${file} not found on PATH`;
  if (error.code === 'E2BIG' || /\bE2BIG\b/.test(error.message)) {
    const longest = args.reduce((a, b) => (b.length > a.length ? b : a), '');
    const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(longest)?.[1];
    const kib = Math.ceil(Buffer.byteLength(longest) / 1024);
    return `${file} did not run: its argument list is too long for the system (E2BIG); ${name ? `the environment variable ${name}` : 'its longest argument'} alone is ${kib} KiB`;
  }
  const detail = say === 'code' ? (error.code ?? error.message) : error.message;
  return `${file} did not run: ${detail.split('\n')[0]}`;
}

/** SIGKILL to the whole group led by `pid` (it was spawned detached: it leads its group). */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

/** First non-empty line of a command's stderr (or stdout), for one-line reasons. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.length > 0) ?? ''
  );
}
