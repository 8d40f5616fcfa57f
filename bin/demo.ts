import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';

/**
 * `npm run demo`: a sandbox workspace (a git repo with 2 lane worktrees, 6 tmux sessions on a
 * private socket) is checkpointed, crashed (tmux server killed, one worktree removed), planned
 * and recovered with the real CLI code path, then cleaned up.
 */
const root = realpathSync(mkdtempSync(join(tmpdir(), 'helios-demo-')));
const socket = `helios-demo-${process.pid}`;
const repo = join(root, 'proj');
const stateDir = join(root, 'state');
const cli = [
  '--workspace',
  'ws-demo',
  '--state-dir',
  stateDir,
  '--tmux-socket',
  socket,
  '--backend',
  'tmux',
];

const run = (file: string, args: string[], cwd = root) =>
  execFileSync(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
const tmux = (...args: string[]) => run('tmux', ['-L', socket, ...args]);
const git = (...args: string[]) =>
  run(
    'git',
    [
      '-c',
      'user.name=helios demo',
      '-c',
      'user.email=demo@helios.invalid',
      '-c',
      'init.defaultBranch=main',
      ...args,
    ],
    repo,
  );
const heading = (text: string) => process.stdout.write(`\n\u2500\u2500 ${text}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cleanup(): void {
  try {
    run('tmux', ['-L', socket, 'kill-server']);
  } catch {
    // no server left: nothing to stop
  }
  rmSync(root, { recursive: true, force: true });
}

async function demo(): Promise<number> {
  heading(`Sandbox workspace in ${root}`);
  mkdirSync(join(repo, 'docs'), { recursive: true });
  git('init', '-q');
  git('commit', '-q', '--allow-empty', '-m', 'initial');
  for (const lane of ['lane-a', 'lane-b']) {
    git(
      'worktree',
      'add',
      '-q',
      '-b',
      `helios/lane/${lane}`,
      join(repo, '.helios-worktrees', lane),
    );
  }
  const sessions: [string, string][] = [
    ['helios-s1', join(repo, '.helios-worktrees', 'lane-a')],
    ['helios-s2', join(repo, '.helios-worktrees', 'lane-a')],
    ['helios-s3', join(repo, '.helios-worktrees', 'lane-b')],
    ['helios-s4', repo],
    ['helios-s5', join(repo, 'docs')],
    ['helios-s6', root],
  ];
  for (const [name, cwd] of sessions) {
    tmux(
      'new-session',
      '-d',
      '-s',
      name,
      '-c',
      cwd,
      '-e',
      `DEMO_SESSION=${name}`,
      '-x',
      '120',
      '-y',
      '30',
    );
  }
  await sleep(300);
  for (const [name] of sessions)
    tmux('send-keys', '-t', `=${name}:`, `echo "work in progress in ${name}"`, 'Enter');
  await sleep(300);
  process.stdout.write(tmux('list-sessions', '-F', '  #{session_name}  #{pane_current_path}'));

  heading('helios-recover checkpoint');
  if ((await main(['checkpoint', ...cli])) !== 0) return 1;

  heading('Crash: tmux server killed, worktree lane-b removed');
  tmux('kill-server');
  git('worktree', 'remove', '--force', join(repo, '.helios-worktrees', 'lane-b'));

  heading('helios-recover plan');
  process.stdout.write(`(exit ${await main(['plan', ...cli])}: 2 = changes planned)\n`);

  heading('helios-recover recover');
  const recovered = await main(['recover', ...cli]);
  process.stdout.write(`(exit ${recovered}: 3 = recovered with issues)\n`);

  heading('Sessions after recovery (tmux list-sessions)');
  process.stdout.write(tmux('list-sessions', '-F', '  #{session_name}  #{pane_current_path}'));
  heading('helios-recover plan (again: nothing left to do)');
  const again = await main(['plan', ...cli]);
  return recovered === 3 && again === 0 ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanup();
    process.exit(130);
  });
}
try {
  process.exitCode = await demo();
} catch (error) {
  process.stderr.write(`demo failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  cleanup();
  heading(`Sandbox removed${process.exitCode === 0 ? '' : ' (demo did not end as expected)'}.`);
}
