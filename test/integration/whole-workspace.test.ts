import {
  chmodSync,
  existsSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';
import { LAYOUT_LISTING, layoutsUpToPaneIds, PANE_LISTING } from '../support/tmux-facts.js';

const SHELL = 'bash --noprofile --norc -i';

/** Every live process whose argv starts with `program`, as its argv. */
function processesOf(program: string): string[][] {
  const found: string[][] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name)))
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv[0] === program || readlinkSync(`/proc/${pid}/exe`).endsWith(`/${program}`))
        found.push(argv);
    } catch {
      // gone, or not ours to read
    }
  return found;
}

describe('a whole tmux workspace comes back', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(() => sandbox.cleanup());

  it('windows, splits, layouts, zoom, awkward names, cwds and the programs the table allows', async () => {
    const project = sandbox.dir('my project');
    const sub = sandbox.dir('my project', 'sub dir');
    const cafe = sandbox.dir('café notes');
    const bin = sandbox.dir('bin');
    writeFileSync(join(project, 'notes.txt'), 'hello\n');
    writeFileSync(join(project, 'Session.vim'), 'edit notes.txt\n');
    writeFileSync(join(sub, 'app.log'), Array.from({ length: 300 }, (_, i) => `${i}\n`).join(''));
    // A stand-in for the coding agent: it records how it was started and waits.
    const argsFile = join(sandbox.root, 'claude-args');
    writeFileSync(
      join(bin, 'claude'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argsFile}'\nsleep 600\n`,
    );
    chmodSync(join(bin, 'claude'), 0o755);
    const path = `PATH=${bin}:${process.env.PATH}`;
    const t = (...args: string[]) => sandbox.tmux(...args);
    t(
      'new-session',
      '-d',
      '-s',
      'my project',
      '-x',
      '160',
      '-y',
      '45',
      '-n',
      'editor',
      '-c',
      project,
      SHELL,
    );
    t('split-window', '-h', '-t', '=my project:0.0', '-c', sub, SHELL);
    t('new-window', '-d', '-t', '=my project:3', '-n', 'logs #1', '-c', sub, SHELL);
    t(
      'new-session',
      '-d',
      '-s',
      'café',
      '-x',
      '120',
      '-y',
      '40',
      '-n',
      '✎:draft',
      '-c',
      cafe,
      SHELL,
    );
    // The agent's pane has it on its PATH (tmux ignores -e PATH: the pane's shell sets it).
    t('split-window', '-v', '-t', '=café:0.0', '-c', cafe, `env ${path} ${SHELL}`);
    t('resize-pane', '-Z', '-t', '=café:0.1');
    t('new-session', '-d', '-s', 'a#b', '-c', cafe, SHELL);
    await sandbox.panesReady();
    t('send-keys', '-t', '=my project:0.0', 'vim -S Session.vim', 'Enter');
    t('send-keys', '-t', '=my project:3.0', 'less app.log', 'Enter');
    t('send-keys', '-t', '=café:0.1', 'claude "fix the build"', 'Enter');
    t('send-keys', '-t', '=café:0.0', 'sleep 600', 'Enter');
    const commands = () => t('list-panes', '-a', '-F', '#{pane_current_command}');
    await waitFor(
      // The stand-in is a script: tmux shows its interpreter.
      () => /sh\n[\s\S]*vim[\s\S]*less/.test(commands()),
      10_000,
      'vim, less and claude',
    ).catch(() =>
      expect(t('list-panes', '-a', '-F', PANE_LISTING)).toBe('vim, less and claude running'),
    );
    await waitFor(() => commands().includes('sleep'), 10_000, 'sleep in café:0.0');
    // tmux names a pane's command from its own view, which can still say `tmux` (the pane as it
    // was before its exec) after /proc shows the shell: the listing waits until tmux sees it.
    await waitFor(
      () => !commands().split('\n').includes('tmux'),
      10_000,
      "tmux seeing each pane's program",
    );
    const panes = t('list-panes', '-a', '-F', PANE_LISTING);
    const layouts = t('list-windows', '-a', '-F', LAYOUT_LISTING);

    const taken = await runCli(['checkpoint', ...sandbox.cli]);
    expect(taken.code, taken.err).toBe(0);
    expect(taken.out).toMatch(/3 sessions \(a#b, café, my project\)/);
    t('kill-server');

    const recovered = await runCli(['recover', '--no-wait', ...sandbox.cli]);
    expect(recovered.code, recovered.out + recovered.err).toBe(0);
    expect(recovered.out).toMatch(/my project +respawned \(2 windows, 3 panes\)/);
    expect(recovered.out).toContain(
      'not restarted: sleep 600 in café:0.0 (sleep is not in the restore list)',
    );
    // The program that is not allowed comes back as its pane's shell; everything else as it was.
    const want = panes.replace(
      'café|0|✎:draft|0|' + cafe + '|1|sleep',
      'café|0|✎:draft|0|' + cafe + '|1|bash',
    );
    await waitFor(
      () => t('list-panes', '-a', '-F', PANE_LISTING) === want,
      15_000,
      'the panes',
    ).catch(() => expect(t('list-panes', '-a', '-F', PANE_LISTING)).toBe(want));
    expect(layoutsUpToPaneIds(t('list-windows', '-a', '-F', LAYOUT_LISTING))).toBe(
      layoutsUpToPaneIds(layouts),
    );
    expect(t('display-message', '-p', '-t', '=my project:', '#{window_index}.#{pane_index}')).toBe(
      '0.1\n',
    );
    // The agent continues its conversation; vim reloads its session.
    await waitFor(
      () => existsSync(argsFile) && readFileSync(argsFile, 'utf8').split('\n').length > 2,
    );
    expect(readFileSync(argsFile, 'utf8')).toBe('fix the build\n--continue\n');
    expect(processesOf('vim').some((argv) => argv.join(' ') === 'vim -S')).toBe(true);

    const plan = await runCli(['plan', ...sandbox.cli]);
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain('No changes.');
  });

  it('gives a survivor exactly the panes it lost, and leaves the panes the user added', async () => {
    const top = sandbox.dir('top');
    const logs = sandbox.dir('top', 'logs');
    const t = (...args: string[]) => sandbox.tmux(...args);
    t('new-session', '-d', '-s', 'api', '-x', '160', '-y', '45', '-n', 'editor', '-c', top, SHELL);
    t('split-window', '-h', '-t', '=api:0.0', '-c', logs, SHELL);
    t('new-window', '-d', '-t', '=api:1', '-n', 'logs', '-c', logs, SHELL);
    await sandbox.panesReady();
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
    expect((await runCli(['recover', '--no-wait', ...sandbox.cli])).code).toBe(0);
    const kept = t('list-panes', '-t', '=api:0', '-F', '#{pane_pid}').split('\n')[0];
    // The user closes the split and window 1, and opens a window of their own.
    t('kill-pane', '-t', '=api:0.1');
    t('kill-window', '-t', '=api:1');
    t('new-window', '-d', '-t', '=api:5', '-n', 'mine', '-c', top, SHELL);
    await sandbox.panesReady();
    const mine = t('list-panes', '-t', '=api:5', '-F', '#{pane_pid}');
    const plan = await runCli(['plan', ...sandbox.cli]);
    expect(plan.code).toBe(2);
    expect(plan.out).toMatch(
      /repair +panes:\S+ +api \(tmux\): 2 panes missing \(api:0\.1, api:1\.0\)/,
    );
    expect(plan.out).not.toContain('matches its checkpoint');
    const recovered = await runCli(['recover', '--no-wait', ...sandbox.cli]);
    expect(recovered.code, recovered.out).toBe(0);
    expect(recovered.out).toMatch(/api +repaired/);
    expect(
      t(
        'list-panes',
        '-s',
        '-t',
        '=api:',
        '-F',
        '#{window_index}.#{pane_index} #{window_name} #{pane_current_path}',
      ),
    ).toBe(
      [`0.0 editor ${top}`, `0.1 editor ${logs}`, `1.0 logs ${logs}`, `5.0 mine ${top}`, ''].join(
        '\n',
      ),
    );
    // The panes that lived on are the same processes.
    expect(t('list-panes', '-t', '=api:0', '-F', '#{pane_pid}').split('\n')[0]).toBe(kept);
    expect(t('list-panes', '-t', '=api:5', '-F', '#{pane_pid}')).toBe(mine);
    expect((await runCli(['plan', ...sandbox.cli])).code).toBe(0);
  });
});
