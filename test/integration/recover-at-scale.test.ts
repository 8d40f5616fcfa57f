import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../specs/checkpoint-codec.js';
import { writeCheckpoint } from '../../store/checkpoint-store.js';
import { createSandbox, gitIn, jsonLines, runCli, type Sandbox } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

const CLI = fileURLToPath(new URL('../../dist/bin/helios-recover.js', import.meta.url));

/** The good sessions: real /bin/sh panes on the sandbox's tmux server. */
const GOOD = 400;
/** The blocked entries, by why they cannot be restored (10,000 in all). */
const MISSING_CWD = 9_000;
const CORRUPT = 900;
const ON_MISSING_LANE = 100;

interface Report {
  stage: string;
  sessions: { sessionId: string; status: string; reason: string; message: string }[];
}

/**
 * A checkpoint of GOOD sessions and 10,000 that cannot be restored: cwd gone, entry checksum
 * broken (edited after it was written), or on a lane whose worktree is gone.
 */
async function writeLargeCheckpoint(sandbox: Sandbox): Promise<void> {
  const repo = sandbox.dir('repo');
  const git = gitIn(repo);
  git('init', '-q', '-b', 'main');
  git('commit', '-q', '--allow-empty', '-m', 'init');
  const work = sandbox.dir('work');
  const session = (id: string, cwd: string, laneId: string | null = null) => ({
    sessionId: id,
    terminalId: `t-${id}`,
    laneId,
    multiplexer: 'tmux' as const,
    sessionName: `helios-${id}`,
    workingDirectory: cwd,
    environment: {},
    shellCommand: ['/bin/sh'],
    scrollback: '',
  });
  const lanePath = join(repo, '.helios-worktrees', 'gone');
  const sessions = [
    ...Array.from({ length: GOOD }, (_, i) => session(`g${i}`, work)),
    ...Array.from({ length: MISSING_CWD }, (_, i) =>
      session(`m${i}`, join(sandbox.root, `gone-${i}`)),
    ),
    ...Array.from({ length: CORRUPT }, (_, i) => session(`c${i}`, work)),
    ...Array.from({ length: ON_MISSING_LANE }, (_, i) => session(`l${i}`, lanePath, 'gone')),
  ];
  const lanes = [
    { laneId: 'gone', repository: repo, worktreePath: lanePath, branch: 'helios/lane/gone' },
  ];
  const document = sealCheckpoint({
    workspaceId: sandbox.workspaceId,
    generation: 0,
    createdAt: new Date().toISOString(),
    host: 'test',
    sessions,
    lanes,
    shareWorkers: [],
  });
  await writeCheckpoint(sandbox.stateDir, document);
  const file = join(sandbox.stateDir, 'checkpoint.json');
  const tampered = JSON.parse(readFileSync(file, 'utf8')) as typeof document;
  for (const entry of tampered.sessions)
    if (entry.sessionId.startsWith('c')) entry.environment = { EDITED: '1' };
  writeFileSync(file, JSON.stringify(tampered));
}

let child: ChildProcess | undefined;

/** Runs `recover --json` as its own process; polls `status` while it runs. */
async function recoverWatchingTheLock(sandbox: Sandbox) {
  const recovering = spawn(process.execPath, [CLI, 'recover', '--json', ...sandbox.cli], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = recovering;
  let out = '';
  let err = '';
  recovering.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  recovering.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number>((resolve) =>
    recovering.once('exit', (code) => resolve(code ?? -1)),
  );
  let running = true;
  void exited.then(() => (running = false));
  const lockStates = new Set<string>();
  while (running) {
    const status = await runCli(['status', '--json', ...sandbox.cli]);
    if (running && status.code === 0)
      lockStates.add((JSON.parse(status.out) as { lock: { state: string } }).lock.state);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { code: await exited, out, err, lockStates };
}

describe('recover at scale on real tmux', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = createSandbox();
    await writeLargeCheckpoint(sandbox);
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
    sandbox.cleanup();
  });

  it('restores 400 good sessions beside 10,000 blocked entries, each reported with its reason', async () => {
    const { code, out, err, lockStates } = await recoverWatchingTheLock(sandbox);
    expect(code, err).toBe(3);
    const report = jsonLines(out).at(-1) as unknown as Report & { type: string };
    expect(report.type).toBe('report');
    expect(report.stage).toBe('LIVE');

    const byStatus: Record<string, string[]> = {};
    for (const s of report.sessions) (byStatus[s.status] ??= []).push(s.sessionId);
    expect(Object.keys(byStatus).sort()).toEqual(['failed', 'respawned']);
    expect(byStatus.respawned!.sort()).toEqual(
      Array.from({ length: GOOD }, (_, i) => `g${i}`).sort(),
    );
    const reasons: Record<string, number> = {};
    for (const s of report.sessions.filter((s) => s.status === 'failed'))
      reasons[s.reason] = (reasons[s.reason] ?? 0) + 1;
    expect(reasons).toEqual({
      cwd_missing: MISSING_CWD,
      checkpoint_corrupt: CORRUPT,
      lane_missing: ON_MISSING_LANE,
    });
    const m7 = report.sessions.find((s) => s.sessionId === 'm7')!;
    expect(m7.message).toContain(join(sandbox.root, 'gone-7'));

    const live = tmuxSessions(sandbox);
    expect(live.map((s) => s.name).sort()).toEqual(
      Array.from({ length: GOOD }, (_, i) => `helios-g${i}`).sort(),
    );
    // A live process of each restored pane, in the checkpoint's directory.
    expect(live.every((s) => s.panePid > 0 && s.cwd === join(sandbox.root, 'work'))).toBe(true);
    // The holder kept its heartbeat: never seen as stale or stalled while it ran.
    expect([...lockStates].filter((state) => state !== 'free' && state !== 'held')).toEqual([]);
  }, 120_000);
});
