import { describe, expect, it } from 'vitest';
import { INITIAL_BANNER } from '../../../banner/banner-state.js';
import { cliRemedyText, type WorkspaceFlags } from '../../../banner/render-remedy.js';
import { renderOrphanReport } from '../../../banner/render-orphans.js';
import { renderPlanText } from '../../../banner/render-plan.js';
import { renderStatusText } from '../../../banner/render-status.js';
import { renderSummaryLines } from '../../../banner/render-summary.js';

/** A workspace whose options need quoting: a space, a quote, a socket name with a space. */
const FLAGS: WorkspaceFlags = {
  workspace: 'ws',
  stateDir: "/tmp/it's mine",
  tmuxSocket: 'my sock',
  backend: 'tmux',
};
const F = `-w ws --state-dir '/tmp/it'\\''s mine' -L 'my sock' --backend tmux`;
const RECOVER = `\`helios-recover recover ${F}\``;

describe('the views put the flags into every command they print', () => {
  it('the summary, the plan, the status and the orphan scan', () => {
    const summary = renderSummaryLines(
      {
        ...INITIAL_BANNER,
        stage: 'INVENTORYING_FAILED',
        stageReason: 'saved plan is stale: the observed state changed since it was computed',
        stageRemedy: { code: 'replan' },
        safeMode: '3 crashes within 60 s',
        orphans: { terminated: 0, removed: 0, reviewPending: 1, held: ['tmux sessions'] },
      },
      cliRemedyText(FLAGS),
    );
    expect(summary).toContain(
      `      → Fix the cause, then run \`helios-recover safe-mode exit ${F}\`.`,
    );
    expect(summary).toContain(
      `      → Run \`helios-recover plan ${F}\` to see the current state, then ${RECOVER} again.`,
    );
    expect(summary).toContain(`      → Review them with \`helios-recover orphans ${F}\`.`);
    expect(summary).toContain(
      `      → Fix what could not be observed, then run \`helios-recover orphans clean ${F}\`.`,
    );

    const plan = renderPlanText(
      {
        apiVersion: 'helios.recovery/v1',
        kind: 'RecoveryPlan',
        workspaceId: 'ws',
        generation: 1,
        incarnation: 'i',
        fingerprint: 'f',
        actions: [],
        blocked: [
          {
            key: 'session:a',
            subject: 'session',
            id: 'a',
            label: 'helios-a',
            reason: 'observation_unavailable',
            message: 'tmux sessions could not be observed: timed out',
            remedy: { code: 'check_multiplexer', backend: 'tmux' },
          },
        ],
        unavailable: [],
      },
      FLAGS,
    );
    expect(plan).toContain(
      `(\`tmux -L 'my sock' list-sessions\`), then run \`helios-recover plan ${F}\``,
    );

    const status = renderStatusText(
      {
        workspaceId: 'ws',
        stateDir: '/s',
        lock: { state: 'free' },
        stage: 'LIVE',
        incarnation: 'i',
        failureReason: null,
        lastRecoveryAt: null,
        checkpoint: { error: 'none' },
        lastRun: [],
        reviewPending: 1,
        lastCrash: null,
        crashesRecorded: 0,
        safeMode: { enteredAt: 't', reason: 'crash loop', crashes: 3 },
      },
      FLAGS,
    );
    expect(status).toContain(`leave with \`helios-recover safe-mode exit ${F}\``);
    expect(status).toContain(`1 pending (\`helios-recover orphans ${F}\`)`);

    const scan = renderOrphanReport(
      {
        safeToTerminate: [],
        needsReview: [
          {
            id: 'r-0000abcd',
            key: 'pid:1@2',
            reason: 'orphan_unproven',
            detail: 'pid 1',
            subject: 'process',
            flaggedAt: 't',
            status: 'pending',
          },
        ],
        totalFound: 1,
        held: [],
      },
      false,
      FLAGS,
    );
    expect(scan).toContain(`\`helios-recover orphans clean ${F}\` cleans what is safe`);
    expect(scan).toContain(`\`helios-recover orphans approve ${F} ID\` / \`dismiss ID\``);
  });
});
