import { GLOBAL_HELP, parseCommandArgs, UsageError, workspaceOptions } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { workspaceFlags } from './paste-flags.js';

const SESSION_HELP = `Usage: helios-recover session <open|close|list> [options]

Talks to the running daemon (\`helios-recover run\`) through its control socket. Requests made
while the daemon is still recovering wait, and are applied in order once it is LIVE.

  session open --cwd DIR [--env K=V]... [--lane ID]   add a session and wait until it runs
  session close ID                                   remove it from the desired state and stop it
  session list                                       the desired sessions

${GLOBAL_HELP}

Exit status: 0 done, 1 error (no daemon, invalid request).`;

const REPLY_TIMEOUT_MS = 120_000;

export async function runSessionCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { cwd: { type: 'string' }, env: { type: 'string', multiple: true }, lane: { type: 'string' } },
    2,
  );
  if (values.help) {
    io.out(`${SESSION_HELP}\n`);
    return 0;
  }
  const [op, id] = positionals;
  let request: Record<string, unknown>;
  if (op === 'open') {
    if (typeof values.cwd !== 'string') throw new UsageError('session open needs --cwd DIR');
    const { resolve } = await import('node:path');
    const env: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const pair of (values.env as string[] | undefined) ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`invalid --env "${pair}": expected K=V`);
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    request = {
      op,
      cwd: resolve(values.cwd),
      env,
      lane: (values.lane as string | undefined) ?? null,
    };
  } else if (op === 'close') {
    if (!id) throw new UsageError('session close needs a session ID');
    request = { op, sessionId: id };
  } else if (op === 'list') {
    request = { op };
  } else {
    throw new UsageError(
      op ? `unknown session command "${op}"` : 'session needs open, close or list',
    );
  }
  const { configure, requestDaemon } = await import('../controllers/compose.js');
  const config = configure(workspaceOptions(values, io));
  const response = await requestDaemon(config, request, REPLY_TIMEOUT_MS);
  if (typeof response === 'string')
    throw new UsageError(response.replace('request refused', 'invalid request'));
  if (!response.ok) {
    const { cliRemedyText } = await import('../banner/choose-renderer.js');
    const remedy = response.remedy
      ? `. ${cliRemedyText(workspaceFlags(values))(response.remedy)}`
      : '';
    io.err(
      `helios-recover: ${response.error.replace('{workspace}', config.workspaceId)}${remedy}\n`,
    );
    return 1;
  }
  if (values.json) io.out(`${JSON.stringify(response.result)}\n`);
  else if (op === 'list') {
    const sessions = response.result as { sessionId: string; sessionName: string; cwd: string }[];
    for (const s of sessions) io.out(`${s.sessionId}\t${s.sessionName}\t${s.cwd}\n`);
    if (sessions.length === 0) io.out('No sessions.\n');
  } else {
    const result = response.result as { sessionId: string; sessionName: string };
    io.out(
      op === 'open'
        ? `Opened ${result.sessionName} (id ${result.sessionId}).\n`
        : `Closed ${result.sessionName} (id ${result.sessionId}): it will not be restored.\n`,
    );
  }
  return 0;
}
