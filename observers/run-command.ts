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
 * Runs `file args` with a timeout (execa, `reject: false`). `failed` means it did not run to an
 * exit code: not found, timed out, aborted or killed by a signal.
 */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: RunOptions,
): Promise<CommandResult> {
  const { execa } = await import('execa');
  const result = await execa(file, args, {
    reject: false,
    timeout: options.timeoutMs,
    cancelSignal: options.signal,
    env: options.env,
    extendEnv: options.env === undefined,
    cwd: options.cwd,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    stripFinalNewline: false,
    windowsHide: true,
  });
  if (result.timedOut)
    return { status: 'failed', reason: `${file} timed out after ${options.timeoutMs} ms` };
  if (result.isCanceled) return { status: 'failed', reason: `${file} was cancelled` };
  if (result.exitCode === undefined) {
    const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') return { status: 'failed', reason: `${file} not found on PATH` };
    const why = result.signal ? `killed by ${result.signal}` : (code ?? result.shortMessage);
    return { status: 'failed', reason: `${file} did not run: ${why}` };
  }
  return {
    status: 'exited',
    exitCode: result.exitCode,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
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
