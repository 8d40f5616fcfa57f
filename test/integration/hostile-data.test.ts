import { execFileSync } from 'node:child_process';
import {
  existsSync,
  readFileSync,
  readlinkSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeChecksum, withChecksum } from '../../specs/canonical-json.js';
import { crashTmux, killMarked } from '../support/crash.js';
import { runCliProcess } from '../support/daemon.js';
import {
  createSandbox,
  libraryOptions,
  runCli,
  type Sandbox,
  waitFor,
} from '../support/sandbox.js';

const ESC = '\u001b';
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

/**
 * Rewrites the sandbox checkpoint's sessions the way a hostile writer would: whatever content,
 * with every checksum correct, so only the content rules can refuse it.
 */
function rewriteSessions(sandbox: Sandbox, patch: Record<string, unknown>): void {
  const file = join(sandbox.stateDir, 'checkpoint.json');
  const document = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & {
    sessions: Record<string, unknown>[];
  };
  // The patch describes the session as one pane: its saved windows are dropped.
  document.sessions = document.sessions.map(({ checksum: _c, windows: _w, ...s }) =>
    withChecksum({ ...s, ...patch }),
  );
  const { checksum: _top, ...rest } = document;
  writeFileSync(file, JSON.stringify({ ...rest, checksum: computeChecksum(rest) }));
}

describe('hostile checkpoint data and files', () => {
  let sandbox: Sandbox;

  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(async () => {
    await killMarked(sandbox.workspaceId);
    sandbox.cleanup();
  });

  it('replays scrollback with its colours but without the queries that make the terminal type', async () => {
    await sandbox.startSessions(['helios-q1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    await crashTmux(sandbox);
    const typed = join(sandbox.root, 'typed');
    rewriteSessions(sandbox, {
      scrollback: `${ESC}[31mred text${ESC}[0m${ESC}[6n${ESC}[c${ESC}[>c${ESC}]11;?\u0007${ESC}[14t\u0005 end`,
      // Whatever the terminal typed into the new shell's input lands in `typed`, whole (renamed).
      shellCommand: [
        'bash',
        '--norc',
        '--noprofile',
        '-c',
        `IFS= read -r -s -t 1 -n 64 line; printf %s "$line" > ${typed}.part; mv ${typed}.part ${typed}; exec sh`,
      ],
    });
    const result = await runCliProcess(['recover', '--no-wait', ...sandbox.cli]);
    expect(result.code, result.out).toBe(0);
    await waitFor(() => existsSync(typed), 5_000, 'the restored shell read its input');
    expect(JSON.stringify(readFileSync(typed, 'utf8'))).toBe('""');
    const screen = sandbox.tmux('capture-pane', '-p', '-e', '-t', '=helios-q1:');
    expect(screen).toContain(`${ESC}[31mred text`);
    expect(screen).toContain('end');
  });

  it('keeps a cwd with a newline exactly, and never sees a phantom session in it', async () => {
    const dir = sandbox.dir('line\nbreak');
    sandbox.tmux('new-session', '-d', '-s', 'helios-n1', '-c', dir, 'bash --noprofile --norc -i');
    await sandbox.panesReady();
    const taken = await runCli(['checkpoint', ...sandbox.cli]);
    expect(taken.code, taken.err).toBe(0);
    expect(taken.out).toMatch(/: 1 session \(helios-n1\)/);
    await crashTmux(sandbox);
    const result = await runCliProcess(['recover', '--no-wait', ...sandbox.cli]);
    expect(result.code, result.out).toBe(0);
    const panePid = sandbox.tmux('display', '-p', '-t', '=helios-n1:', '#{pane_pid}').trim();
    expect(sandbox.tmux('list-sessions', '-F', '#{session_name}').trim()).toBe('helios-n1');
    expect(readlinkSync(`/proc/${panePid}/cwd`)).toBe(dir);
    expect((await runCli(['plan', ...sandbox.cli])).code).toBe(0);
  });

  it('refuses, at checkpoint and with a reason, a cwd that is not UTF-8', async () => {
    await sandbox.startSessions(['helios-ok']);
    execFileSync('sh', [
      '-c',
      `mkdir "$(printf '${sandbox.root}/bad\\377dir')" && cd "$(printf '${sandbox.root}/bad\\377dir')" && tmux -L ${sandbox.socket} new-session -d -s helios-u1 'bash --noprofile --norc -i'`,
    ]);
    await sandbox.panesReady();
    const taken = await runCli(['checkpoint', ...sandbox.cli]);
    // Written with the rest, but not silently: exit 3, naming what could not be recorded.
    expect(taken.code, taken.err).toBe(3);
    expect(taken.out).toMatch(/1 session \(helios-ok\)/);
    expect(taken.err).toMatch(
      /not recorded: "helios-u1": a working directory is not valid UTF-8 and cannot be saved exactly/,
    );
    expect(taken.out).toMatch(/\(helios-ok\)/);
  });

  it('fails alone, at plan time and with the reason, an entry holding a NUL byte', async () => {
    await sandbox.startSessions(['helios-z1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    await crashTmux(sandbox);
    rewriteSessions(sandbox, { environment: { K: 'a\u0000b' } });
    const plan = await runCli(['plan', ...sandbox.cli]);
    expect(plan.out).toMatch(/checkpoint_corrupt/);
    expect(plan.out).toMatch(/NUL byte/);
    const result = await runCliProcess(['recover', '--no-wait', ...sandbox.cli]);
    expect(result.code, result.out).toBe(3);
    expect(result.out).toMatch(/NUL byte/);
    noStack(result.out);
  });

  it('refuses a FIFO checkpoint at once instead of hanging, and an oversized one before reading it', async () => {
    await sandbox.startSessions(['helios-b1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0); // generation 0 kept aside
    const current = join(sandbox.stateDir, 'checkpoint.json');
    rmSync(current);
    execFileSync('mkfifo', [current]);
    const fifo = await runCliProcess(['plan', ...sandbox.cli]);
    expect(fifo.out).toMatch(/skipped .*checkpoint\.json: not a regular file/);
    expect(fifo.code).toBe(2); // planned (a reattach) from the previous generation
    rmSync(current);
    writeFileSync(current, '');
    truncateSync(current, 300 * 1024 * 1024); // sparse: 300 MB that cost nothing to make
    const huge = await runCliProcess(['plan', '--json', ...sandbox.cli]);
    expect(huge.out).toMatch(/300 MiB, over the 32 MiB limit/);
    expect(huge.code).toBe(2);
    const imported = await runCliProcess(['import', 'tmux-resurrect', current, ...sandbox.cli]);
    expect(imported.code).toBe(1);
    expect(imported.out).toMatch(/cannot read .*: 300 MiB, over the 32 MiB limit/);
  });
});

describe('a pane that prints the capture mark', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(() => sandbox.cleanup());

  it('never gives its text to another pane: a capture that does not split exactly is redone pane by pane', async () => {
    const { configure, runCheckpoint } = await import('../../controllers/compose.js');
    for (const name of ['a', 'b'])
      sandbox.tmux('new-session', '-d', '-s', `helios-${name}`, `echo text of ${name}; exec sh`);
    await waitFor(
      () =>
        ['a', 'b'].every((n) =>
          sandbox.tmux('capture-pane', '-p', '-t', `=helios-${n}:`).includes(`text of ${n}`),
        ),
      5_000,
      'both texts on screen',
    );
    // A tmux in front of the real one: in a call capturing several panes, it prints the call's
    // mark first, as a pane that read it from our tmux client's command line could.
    const real = execFileSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).trim();
    const bin = sandbox.dir('wrapper-bin');
    writeFileSync(
      join(bin, 'tmux'),
      `#!/bin/sh\nmarks=0; mark=; last=\nfor a in "$@"; do [ "$last" = -p ] && case "$a" in helios-end-*) marks=$((marks+1)); mark=$a;; esac; last=$a; done\n[ "$marks" -gt 1 ] && printf '%s\\n' "$mark"\nexec '${real}' "$@"\n`,
      { mode: 0o755 },
    );
    const config = configure(libraryOptions(sandbox), {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
    });
    expect((await runCheckpoint(config)).ok).toBe(true);
    const saved = JSON.parse(readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8')) as {
      sessions: { sessionName: string; windows: { panes: { scrollback: string }[] }[] }[];
    };
    for (const name of ['a', 'b']) {
      const session = saved.sessions.find((s) => s.sessionName === `helios-${name}`)!;
      expect(session.windows[0]!.panes[0]!.scrollback).toContain(`text of ${name}`);
      expect(session.windows[0]!.panes[0]!.scrollback).not.toContain(
        `text of ${name === 'a' ? 'b' : 'a'}`,
      );
    }
  });
});
