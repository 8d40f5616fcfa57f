import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

const reviewIdIn = (text: string) => /flagged for review as (r-[0-9a-f]{8})/.exec(text)?.[1];

describe('review items are identities, not names (real tmux)', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = createSandbox();
    await sandbox.startSessions(['helios-a1']);
    expect((await runCli(['checkpoint', ...sandbox.cli])).code).toBe(0);
  });
  afterEach(() => sandbox.cleanup());

  /** Starts an untagged `helios-tmp` running `command` in `dir`; its pane pid once it is up. */
  async function startTmp(dir: string, command: string): Promise<number> {
    sandbox.tmux('new-session', '-d', '-s', 'helios-tmp', '-c', sandbox.dir(dir), command);
    let pid: number | undefined;
    await waitFor(
      () =>
        (pid = tmuxSessions(sandbox).find((s) => s.name === 'helios-tmp')?.panePid) !== undefined,
      5_000,
      'helios-tmp',
    );
    return pid!;
  }

  it("approve refuses to kill a new helios-tmp that took the reviewed one's name, says why, and flags it as a new item", async () => {
    await startTmp('first', 'sleep 600');
    const cleaned = await runCli(['orphans', 'clean', ...sandbox.cli]);
    const reviewed = reviewIdIn(cleaned.out)!;
    expect(reviewed, cleaned.out).toBeDefined();
    const listed = await runCli(['orphans', ...sandbox.cli]);
    expect(listed.out).toMatch(
      new RegExp(
        `${reviewed} .*helios-tmp.*\\n +is: server pid \\d+@\\d+, created \\S+, panes \\d+@\\d+, cwd ${sandbox.dir('first')}`,
      ),
    );

    // The reviewed session ends; an unrelated one of the same name starts elsewhere.
    sandbox.tmux('kill-session', '-t', '=helios-tmp:');
    const stranger = await startTmp('second', 'sleep 700');

    const approve = await runCli(['orphans', 'approve', reviewed, ...sandbox.cli]);
    expect(approve.code).toBe(1);
    expect(approve.err.trim().split('\n')).toHaveLength(1);
    expect(approve.err).toContain(`${reviewed} is not what was reviewed`);
    expect(approve.err).toMatch(/panes \d+@\d+ are now \d+@\d+/);
    expect(approve.err).toContain(`cwd ${sandbox.dir('first')} is now ${sandbox.dir('second')}`);
    expect(tmuxSessions(sandbox).find((s) => s.name === 'helios-tmp')?.panePid).toBe(stranger);

    // The stranger is a new item of its own; the old id names nothing any more.
    const fresh = /flagged as (r-[0-9a-f]{8})/.exec(approve.err)?.[1];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(reviewed);
    const json = JSON.parse((await runCli(['orphans', '--json', ...sandbox.cli])).out) as {
      needsReview: {
        id?: string;
        reviewId?: string;
        identity?: { panes: { pid: number }[]; cwd: string };
      }[];
    };
    expect(json.needsReview.map((item) => item.id ?? item.reviewId)).toEqual([fresh]);
    expect(json.needsReview[0]!.identity).toMatchObject({
      panes: [{ pid: stranger }],
      cwd: sandbox.dir('second'),
    });
    const again = await runCli(['orphans', 'approve', reviewed, ...sandbox.cli]);
    expect(again.err).toMatch(/no pending review item/);
    expect(tmuxSessions(sandbox).find((s) => s.name === 'helios-tmp')?.panePid).toBe(stranger);

    // Reviewed as itself, it is approved.
    const approved = await runCli(['orphans', 'approve', fresh!, ...sandbox.cli]);
    expect(approved.code, approved.err).toBe(0);
    expect(tmuxSessions(sandbox).map((s) => s.name)).not.toContain('helios-tmp');
  });
});
