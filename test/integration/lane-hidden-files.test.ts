import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeLaneWorktree } from '../../actions/remove-lane-worktree.js';
import { configure } from '../../controllers/compose.js';
import type { RemoveAction } from '../../specs/plan.js';
import { createSandbox, gitIn, runCli, type Sandbox, waitFor } from '../support/sandbox.js';

/** The review id `orphans clean` printed for the worktree at `path`. */
const idOf = (out: string, path: string) =>
  new RegExp(`flagged for review as (r-[0-9a-f]{8}): worktree ${path} `).exec(out)?.[1];

describe('lanes keep every file, whatever git status is told to hide', () => {
  let sandbox: Sandbox;
  let repo: string;
  let git: (...args: string[]) => Buffer;
  const lane = (id: string) => join(repo, '.helios-worktrees', id);
  const addLane = (id: string) => git('worktree', 'add', '-q', '-b', id, lane(id));

  beforeEach(async () => {
    sandbox = createSandbox();
    repo = sandbox.dir('repo');
    git = gitIn(repo);
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'local.conf'), 'shared=1\n');
    writeFileSync(join(repo, 'big.bin'), 'v1\n');
    git('add', 'local.conf', 'big.bin');
    git('commit', '-q', '-m', 'init');
    addLane('lane-a');
    sandbox.tmux('new-session', '-d', '-s', 'helios-a', '-c', lane('lane-a'));
    await waitFor(
      () =>
        sandbox.tmux('display', '-p', '-t', '=helios-a:', '#{pane_current_path}').trim() ===
        lane('lane-a'),
      5_000,
      'the lane session',
    );
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
  });
  afterEach(() => sandbox.cleanup());

  it('never removes a lane whose untracked file status.showUntrackedFiles=no hides, nor its skip-worktree or assume-unchanged edits; a clean one goes', async () => {
    git('config', 'status.showUntrackedFiles', 'no');
    for (const id of ['lane-notes', 'lane-skip', 'lane-assume', 'lane-clean']) addLane(id);
    writeFileSync(join(lane('lane-notes'), 'NOTES.md'), 'my notes\n');
    gitIn(lane('lane-skip'))('update-index', '--skip-worktree', 'local.conf');
    writeFileSync(join(lane('lane-skip'), 'local.conf'), 'mine=1\n');
    gitIn(lane('lane-assume'))('update-index', '--assume-unchanged', 'big.bin');
    writeFileSync(join(lane('lane-assume'), 'big.bin'), 'v2, edited\n');
    for (const id of ['lane-notes', 'lane-skip', 'lane-assume'])
      expect(gitIn(lane(id))('status', '--porcelain', '--ignored').toString()).toBe('');

    const cleaned = await runCli(['orphans', 'clean', ...sandbox.cli]);
    const ids = Object.fromEntries(
      ['lane-notes', 'lane-skip', 'lane-assume', 'lane-clean'].map((id) => [
        id,
        idOf(cleaned.out, lane(id))!,
      ]),
    );
    expect(Object.values(ids).every(Boolean), cleaned.out).toBe(true);
    expect(cleaned.out).toMatch(/lane-notes .*has uncommitted changes: NOTES\.md/);
    expect(cleaned.out).toMatch(
      /lane-skip .*holds files git status does not show: local\.conf \(skip-worktree\)/,
    );
    expect(cleaned.out).toMatch(
      /lane-assume .*holds files git status does not show: big\.bin \(assume-unchanged\)/,
    );
    const scan = await runCli(['orphans', ...sandbox.cli]);
    expect(scan.out).toContain(
      `is: HEAD ${git('rev-parse', 'HEAD').toString().trim()} on branch lane-skip`,
    );

    const refused = [
      [
        'lane-notes',
        'NOTES.md',
        'my notes\n',
        /has uncommitted changes: never removed \(NOTES\.md changed or untracked/,
      ],
      [
        'lane-skip',
        'local.conf',
        'mine=1\n',
        /files git status does not show .*: local\.conf \(skip-worktree\); not removed\. Move those files away, or let them go with `helios-recover orphans approve .* --discard-ignored --discard-hidden-edits`/,
      ],
      [
        'lane-assume',
        'big.bin',
        'v2, edited\n',
        /files git status does not show .*: big\.bin \(assume-unchanged\); not removed/,
      ],
    ] as const;
    for (const [id, file, text, why] of refused) {
      const approve = await runCli([
        'orphans',
        'approve',
        ids[id]!,
        '--discard-ignored',
        ...sandbox.cli,
      ]);
      expect(approve.code, `${id}: ${approve.out}`).toBe(1);
      expect(approve.err).toMatch(why);
      expect(readFileSync(join(lane(id), file), 'utf8')).toBe(text);
      expect(existsSync(join(lane(id), '.git'))).toBe(true);
      expect(git('worktree', 'list').toString()).toContain(lane(id));
    }
    // Untracked work is never removed, whatever the operator consents to.
    const notes = await runCli([
      'orphans',
      'approve',
      ids['lane-notes']!,
      '--discard-ignored',
      '--discard-hidden-edits',
      ...sandbox.cli,
    ]);
    expect(notes.code).toBe(1);
    expect(readFileSync(join(lane('lane-notes'), 'NOTES.md'), 'utf8')).toBe('my notes\n');

    const clean = await runCli(['orphans', 'approve', ids['lane-clean']!, ...sandbox.cli]);
    expect(clean.code, clean.err).toBe(0);
    expect(existsSync(lane('lane-clean'))).toBe(false);
    // The files git status does not show go only when listed and let go of.
    const skip = await runCli([
      'orphans',
      'approve',
      ids['lane-skip']!,
      '--discard-hidden-edits',
      ...sandbox.cli,
    ]);
    expect(skip.code, skip.err).toBe(0);
    expect(existsSync(lane('lane-skip'))).toBe(false);
  });

  it('the executor reads the full state again right before removing: anything not let go of refuses it', async () => {
    git('config', 'status.showUntrackedFiles', 'no');
    addLane('lane-late');
    const late = gitIn(lane('lane-late'));
    late('update-index', '--skip-worktree', 'local.conf');
    writeFileSync(join(lane('lane-late'), 'local.conf'), 'mine=1\n');
    late('update-index', '--assume-unchanged', 'big.bin');
    writeFileSync(join(lane('lane-late'), 'big.bin'), 'edited since\n');
    const config = configure({ workspace: sandbox.workspaceId, stateDir: sandbox.stateDir });
    const ctx = { ...config, incarnation: 'test' };
    const action = (extra: Partial<RemoveAction> = {}): RemoveAction => ({
      kind: 'remove',
      key: `lane-abandoned:${lane('lane-late')}`,
      wave: 4,
      reason: 'review_approved',
      path: lane('lane-late'),
      target: 'lane-worktree',
      ...extra,
    });
    const listedOne = await removeLaneWorktree(action({ discardHidden: ['local.conf'] }), ctx);
    expect(listedOne.status).toBe('failed');
    expect(listedOne.message).toMatch(
      /: big\.bin \(assume-unchanged\); not removed \(they were not listed when it was reviewed/,
    );
    expect(readFileSync(join(lane('lane-late'), 'big.bin'), 'utf8')).toBe('edited since\n');

    writeFileSync(join(lane('lane-late'), 'NOTES.md'), 'appeared\n');
    const all = await removeLaneWorktree(action({ discardHidden: ['local.conf', 'big.bin'] }), ctx);
    expect(all.status).toBe('failed');
    expect(all.message).toMatch(/never removed \(NOTES\.md changed or untracked/);
    expect(existsSync(join(lane('lane-late'), 'NOTES.md'))).toBe(true);
  });
});
