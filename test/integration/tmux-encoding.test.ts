import { mkdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTmuxSessions } from '../../clients/tmux-driver.js';
import type { ExecutorContext } from '../../actions/executor-context.js';
import { createSandbox, type Sandbox, waitFor } from '../support/sandbox.js';
import { aSession } from '../support/builders.js';
import { readEnviron } from '../support/tmux-facts.js';

/** Characters tmux or a shell treat specially, plus ordinary and non-ASCII ones. */
const HOSTILE = [
  '#',
  ';',
  '\\',
  '{',
  '}',
  '(',
  ')',
  '$',
  "'",
  '"',
  ' ',
  'a',
  'é',
  '%',
  '~',
  '\t',
  '\n',
];
const exeOf = (pid: number): string | null => {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
};
const hostile = (min = 0) =>
  fc.array(fc.constantFrom(...HOSTILE), { minLength: min, maxLength: 12 }).map((c) => c.join(''));

describe('the tmux argument encoder, against real tmux', () => {
  let sandbox: Sandbox;
  let ctx: ExecutorContext;
  let n = 0;
  beforeAll(() => {
    sandbox = createSandbox();
    ctx = {
      stateDir: sandbox.stateDir,
      workspaceId: sandbox.workspaceId,
      instanceId: 'i-encoding',
      incarnation: 'enc',
      env: process.env,
      tmux: { socketName: sandbox.socket, env: process.env },
      zellij: { env: process.env },
      timeoutMs: 10_000,
    };
  });
  afterAll(() => sandbox.cleanup());

  it('reads back cwds, env values and command arrays byte-exact, and runs nothing they contain', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile(1).filter((s) => s !== '.' && s !== '..'),
        hostile(),
        fc.array(hostile(), { maxLength: 4 }),
        async (dirName, value, args) => {
          n += 1;
          const cwd = join(sandbox.root, `c${n}`, dirName);
          mkdirSync(cwd, { recursive: true });
          const session = aSession({
            sessionId: `e${n}`,
            workingDirectory: cwd,
            environment: { HOSTILE_VALUE: value, ENDS_WITH: `${value};` },
            shellCommand: ['sh', '-c', 'sleep 30', ...args, 'x;', 'run-shell', 'touch pwned'],
          });
          const [result] = await createTmuxSessions(ctx, [
            { session, command: session.shellCommand },
          ]);
          expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
          const [pid = 0, serverPid = 0] = sandbox
            .tmux('display', '-p', '-t', `=${session.sessionName}:`, '#{pane_pid} #{pid}')
            .trim()
            .split(' ')
            .map(Number);
          // Between fork and exec the pane's process is a copy of the tmux server (its argv, cwd
          // and environ): read nothing until it runs another program. Inside exec the new
          // program shows in /proc/PID/exe before its arguments are in place (cmdline is empty
          // for that moment): wait for both.
          const serverExe = readlinkSync(`/proc/${serverPid}/exe`);
          const cmdline = () => readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          const execd = () => ![null, serverExe].includes(exeOf(pid)) && cmdline() !== '';
          await waitFor(execd, 10_000, `pane ${pid} exec'd its command`);
          const argv = cmdline().split('\0').slice(0, -1);
          expect(argv).toEqual(session.shellCommand);
          expect(readlinkSync(`/proc/${pid}/cwd`)).toBe(cwd);
          const env = readEnviron(pid);
          expect(env.HOSTILE_VALUE).toBe(value);
          expect(env.ENDS_WITH).toBe(`${value};`);
          sandbox.tmux('kill-session', '-t', `=${session.sessionName}:`);
          rmSync(join(sandbox.root, `c${n}`), { recursive: true, force: true });
        },
      ),
      { numRuns: 25 },
    );
    expect(() => readFileSync(join(sandbox.root, 'pwned'))).toThrow();
  });
});
