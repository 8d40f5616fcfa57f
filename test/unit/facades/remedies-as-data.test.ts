import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrphanReconciler } from '../../../facades/orphan-reconciler.js';
import { RecoveryBanner } from '../../../facades/recovery-banner.js';
import { RestorationPipeline } from '../../../facades/restoration-pipeline.js';
import { RefusedError } from '../../../specs/remedies.js';
import { createFakeWorkspace, type FakeWorkspace } from '../../fakes/fake-workspace.js';

/** The host app gets what to do as data it can act on, never a CLI command line. */
describe('the facades hand the host remedies as data', () => {
  let ws: FakeWorkspace;
  beforeEach(() => {
    ws = createFakeWorkspace();
  });
  afterEach(() => ws.cleanup());
  const options = () => ({
    workspace: ws.config.workspaceId,
    stateDir: ws.config.stateDir,
    backend: 'tmux' as const,
    world: ws.fake.world,
  });

  it('a failed restore names its remedy, and nothing in the result is CLI text', async () => {
    ws.fake.blind('tmux', 'tmux timed out');
    const result = await new RestorationPipeline(options()).restore(ws.document(['a']));
    expect(result.failed).toEqual([
      {
        sessionId: 'a',
        sessionName: 'helios-a',
        terminalId: 'a',
        laneId: null,
        multiplexer: 'tmux',
        reason: 'observation_unavailable',
        message: 'tmux sessions could not be observed: tmux timed out',
        remedy: { code: 'check_multiplexer', backend: 'tmux' },
      },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/helios-recover |suggestion/);
  });

  it('a refused approval rejects with the reason and the remedy', async () => {
    const refusal = await new OrphanReconciler(options()).approve('r-0000abcd').catch((e) => e);
    expect(refusal).toBeInstanceOf(RefusedError);
    expect(refusal).toMatchObject({
      message: 'no pending review item r-0000abcd',
      remedy: { code: 'review_orphans' },
    });
  });

  it('the banner words remedies as the host says, by default as the CLI does', () => {
    const summary = (banner: RecoveryBanner, out: string[]) => {
      banner.showSummary({
        restored: [],
        failed: [
          {
            sessionId: 'a',
            sessionName: 'helios-a',
            terminalId: 't-a',
            laneId: null,
            multiplexer: 'tmux',
            reason: 'cwd_missing',
            message: 'directory /gone no longer exists',
            remedy: { code: 'create_directory', path: '/gone', sessionName: 'helios-a' },
          },
        ],
        duration: 10,
      });
      return out.join('');
    };
    const hostOut: string[] = [];
    const host = new RecoveryBanner({
      mode: 'plain',
      stream: { write: (text: string) => hostOut.push(text) },
      remedyText: (remedy) => `host: ${remedy.code}`,
    });
    expect(summary(host, hostOut)).toContain('      → host: create_directory\n');
    const cliOut: string[] = [];
    const cli = new RecoveryBanner({
      mode: 'plain',
      stream: { write: (text: string) => cliOut.push(text) },
    });
    expect(summary(cli, cliOut)).toContain(
      '      → Recreate /gone and run `helios-recover recover` again, or take a new checkpoint without helios-a.\n',
    );
  });
});
