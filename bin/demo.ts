import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DemoMux, tmuxDemo, zellijDemo } from './demo-mux.js';
import { main } from './main.js';

/**
 * `npm run demo`: a sandbox workspace (a git repo with 2 lane worktrees, 6 sessions) is
 * checkpointed, crashed (multiplexer servers killed, one worktree removed), planned and
 * recovered with the real CLI code path, then cleaned up. Sessions are tmux sessions on a
 * private socket; `npm run demo -- --zellij` (or HELIOS_DEMO_BACKEND=zellij) uses real zellij.
 */
const root = realpathSync(mkdtempSync(join(tmpdir(), 'helios-demo-')));
const repo = join(root, 'proj');
const stateDir = join(root, 'state');
const onZellij = process.argv.includes('--zellij') || process.env.HELIOS_DEMO_BACKEND === 'zellij';
const mux: DemoMux = onZellij
  ? zellijDemo(join(root, 'zellij'))
  : tmuxDemo(`helios-demo-${process.pid}`);
const cli = ['--workspace', 'ws-demo', '--state-dir', stateDir, ...mux.cli];

const run = (file: string, args: string[], cwd = root) =>
  execFileSync(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
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
  mux.cleanup();
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
  for (const [name, cwd] of sessions) mux.create(name, cwd, { DEMO_SESSION: name });
  await sleep(300);
  for (const [name] of sessions) mux.type(name, `echo "work in progress in ${name}"`);
  await sleep(300);
  process.stdout.write(mux.listing());

  heading('helios-recover checkpoint');
  if ((await main(['checkpoint', ...cli])) !== 0) return 1;

  heading(`Crash: ${mux.backend} server killed, worktree lane-b removed`);
  mux.crash();
  await sleep(300);
  git('worktree', 'remove', '--force', join(repo, '.helios-worktrees', 'lane-b'));

  heading('helios-recover plan');
  process.stdout.write(`(exit ${await main(['plan', ...cli])}: 2 = changes planned)\n`);

  heading('helios-recover recover');
  const recovered = await main(['recover', ...cli]);
  process.stdout.write(`(exit ${recovered}: 3 = recovered with issues)\n`);

  heading(`Sessions after recovery (${mux.backend} list-sessions)`);
  process.stdout.write(mux.listing());
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
