import { clientFor } from '../clients/multiplexer-clients.js';
import { repairTmuxSession } from '../clients/tmux-repair.js';
import type { Outcome } from '../specs/outcome.js';
import type { RepairAction } from '../specs/plan.js';
import type { ExecutorContext } from './executor-context.js';
import { writeLaunchScript } from './launch-command.js';
import { mapLimit } from './map-limit.js';
import { preparePanes } from './prepare-panes.js';

/**
 * Gives live sessions back the windows and panes of the checkpoint they lack (tmux): exactly
 * those, each with its launcher, ledger entry, cwd, variables and allowed program; the user's
 * own panes are left alone. Done only when a new observation shows them.
 */
export async function executeRepairs(
  actions: readonly RepairAction[],
  ctx: ExecutorContext,
): Promise<Outcome[]> {
  return mapLimit(actions, 4, async (action): Promise<Outcome> => {
    const started = Date.now();
    const base = { key: action.key, kind: 'repair' as const, reason: action.reason };
    if (action.backend !== 'tmux')
      return {
        ...base,
        status: 'failed',
        terminal: true,
        message: `${action.backend} panes cannot be added to a live session`,
        durationMs: 0,
        remedy: { code: 'rerun_recover' },
      };
    let notRestarted: string[] = [];
    const result = await repairTmuxSession(ctx, action.session, action.missing, async (still) => {
      const prepared = await preparePanes(
        action.session,
        ctx,
        (pane) =>
          clientFor('tmux').paneCommand(ctx, action.session, (exports) =>
            writeLaunchScript(ctx, action.session, exports, pane),
          ),
        still,
      );
      notRestarted = prepared.notRestarted;
      return prepared;
    });
    const durationMs = Date.now() - started;
    if (!result.ok)
      return {
        ...base,
        status: 'failed',
        message: result.reason,
        durationMs,
        remedy: { code: 'check_multiplexer', backend: 'tmux' },
      };
    return {
      ...base,
      status: 'succeeded',
      message: result.message,
      durationMs,
      ...(notRestarted.length > 0 ? { notRestarted } : {}),
    };
  });
}
