import type { CleanupCounts } from '../specs/events.js';
import { executeActions } from '../actions/execute-plan.js';
import { updateReview } from '../actions/record-review.js';
import { protectedPidsOfSelf, terminateFenced } from '../actions/signal-process.js';
import { observeReview } from '../store/review-file.js';
import { runCommand } from '../clients/run-command.js';
import type { ReviewRecord } from '../specs/orphans.js';
import type { Outcome } from '../specs/outcome.js';
import type { CleanupAction, FlagAction, RemoveAction, TerminateAction } from '../specs/plan.js';
import { configure, type WorkspaceOptions } from './compose.js';
import { previewPlan } from './preview-plan.js';
import type { WorkspaceConfig } from './workspace-config.js';
import { executeTerminates } from '../actions/execute-cleanup.js';
import type { OrphanReport } from '../specs/reports.js';

/** How the operator approves: lanes holding git-ignored files need them listed and accepted. */
export interface ApproveOptions {
  readonly discardIgnored?: boolean | undefined;
}

/** What `cleanup(report)` did (the wave-4 counts of every report). */
export type CleanupResult = CleanupCounts;

/**
 * Seed facade for the host app, and the engine of `helios-recover orphans`: `scan()` classifies
 * what the crash left behind, `cleanup(report)` applies exactly that report (terminations fenced
 * by start time, flags recorded), `approve`/`dismiss` settle review items.
 */
export class OrphanReconciler {
  readonly config: WorkspaceConfig;

  constructor(options: WorkspaceOptions | WorkspaceConfig = {}) {
    this.config =
      'stateDir' in options && 'tmux' in options
        ? (options as WorkspaceConfig)
        : configure(options as WorkspaceOptions);
  }

  async scan(): Promise<OrphanReport> {
    const preview = await previewPlan(this.config);
    if (!preview.ok) throw new Error(preview.reason);
    const cleanup = preview.plan.actions.filter((a): a is CleanupAction => a.wave === 4);
    const review = await observeReview(this.config.stateDir);
    const pending =
      review.status === 'ok' ? review.items.filter((item) => item.status === 'pending') : [];
    const safeToTerminate = cleanup.filter(
      (a): a is TerminateAction | RemoveAction => a.kind !== 'flag',
    );
    const needsReview = [...cleanup.filter((a): a is FlagAction => a.kind === 'flag'), ...pending];
    return {
      safeToTerminate,
      needsReview,
      totalFound: safeToTerminate.length + needsReview.length,
      held: preview.plan.unavailable,
    };
  }

  async cleanup(
    report: OrphanReport,
    onOutcome: (outcome: Outcome) => void = () => undefined,
  ): Promise<CleanupResult> {
    const actions = [
      ...report.safeToTerminate,
      ...report.needsReview.filter((item): item is FlagAction => 'kind' in item),
    ];
    const ctx = { ...this.config, incarnation: 'orphans' };
    const outcomes = await executeActions(actions, ctx, (outcome) => onOutcome(outcome));
    const review = await observeReview(this.config.stateDir);
    return {
      terminated: outcomes.filter((o) => o.kind === 'terminate' && o.status === 'succeeded').length,
      removed: outcomes.filter((o) => o.kind === 'remove' && o.status === 'succeeded').length,
      reviewPending:
        review.status === 'ok'
          ? review.items.filter((item) => item.status === 'pending').length
          : 0,
    };
  }

  /**
   * The operator approves one review item. The world is observed and classified again first: if
   * the item is no longer what was reviewed (adopted into the checkpoint, live again, gone, or
   * cleanup is blind), it is refused with the reason. Never a dirty lane.
   */
  async approve(id: string, options: ApproveOptions = {}): Promise<string> {
    const item = await this.#pending(id);
    await this.#recheck(item);
    const message = await this.#act(item, options);
    await updateReview(this.config.stateDir, (items) => items.filter((entry) => entry.id !== id));
    return message;
  }

  async dismiss(id: string): Promise<string> {
    await this.#pending(id);
    await updateReview(this.config.stateDir, (items) =>
      items.map((entry) => (entry.id === id ? { ...entry, status: 'dismissed' as const } : entry)),
    );
    return `dismissed ${id}: it will not be flagged again`;
  }

  async #pending(id: string): Promise<ReviewRecord> {
    const review = await observeReview(this.config.stateDir);
    if (review.status === 'unavailable') throw new Error(review.reason);
    const item = review.items.find((entry) => entry.id === id && entry.status === 'pending');
    if (!item) throw new Error(`no pending review item ${id} (see \`helios-recover orphans\`)`);
    return item;
  }

  async #recheck(item: ReviewRecord): Promise<void> {
    const preview = await previewPlan(this.config, Date.now, undefined, true);
    if (!preview.ok) throw new Error(`cannot re-check ${item.id}: ${preview.reason}`);
    if (preview.plan.unavailable.length > 0)
      throw new Error(
        `cannot re-check ${item.id}: ${preview.plan.unavailable.join('; ')}; nothing is touched while blind`,
      );
    const now = preview.plan.actions.find(
      (action): action is FlagAction => action.kind === 'flag' && action.key === item.key,
    );
    if (!now)
      throw new Error(
        `${item.id} is no longer what was reviewed (${item.detail}): it is gone, live again or now in the checkpoint; refused (dismiss it with \`helios-recover orphans dismiss ${item.id}\`)`,
      );
  }

  async #act(item: ReviewRecord, options: ApproveOptions): Promise<string> {
    const [kind, ...rest] = item.key.split(':');
    if (kind === 'pid') {
      const [pid, startTime] = rest.join(':').split('@').map(Number) as [number, number];
      const result = await terminateFenced(
        { pid, startTime, pgid: -1, signal: 'SIGTERM' },
        await protectedPidsOfSelf(),
      );
      if (result.status !== 'gone') throw new Error(result.reason);
      return `pid ${pid}: ${result.how}`;
    }
    if (kind === 'stale-session') {
      const [backend, ...name] = rest;
      const action: TerminateAction = {
        kind: 'terminate',
        key: item.key,
        wave: 4,
        reason: 'orphan_unproven',
        target: {
          type: 'session',
          backend: backend === 'zellij' ? 'zellij' : 'tmux',
          name: name.join(':'),
        },
      };
      const [outcome] = await executeTerminates([action], {
        ...this.config,
        incarnation: 'orphans',
      });
      if (outcome!.status !== 'succeeded') throw new Error(outcome!.message);
      return outcome!.message;
    }
    return this.#removeLane(rest.join(':'), options);
  }

  /** A lane worktree is removed only when it holds nothing git would not bring back. */
  async #removeLane(path: string, options: ApproveOptions): Promise<string> {
    const git = (args: string[]) =>
      runCommand('git', ['-C', path, ...args], { timeoutMs: this.config.timeoutMs });
    const status = await git(['status', '--porcelain', '--ignored', '-z']);
    if (status.status !== 'exited' || status.exitCode !== 0)
      throw new Error(`cannot read the state of ${path}: not removed`);
    const entries = status.stdout.split('\0').filter((entry) => entry.length > 0);
    if (entries.some((entry) => !entry.startsWith('!! ')))
      throw new Error(
        `${path} has uncommitted changes: never removed (commit or stash them first)`,
      );
    const ignored = entries.map((entry) => entry.slice(3));
    if (ignored.length > 0 && !options.discardIgnored)
      throw new Error(
        `${path} holds git-ignored files that removal would delete: ${ignored.slice(0, 10).join(', ')}${ignored.length > 10 ? ` and ${ignored.length - 10} more` : ''}; not removed (move them, or approve with --discard-ignored)`,
      );
    const removed = await git(['worktree', 'remove', path]);
    if (removed.status !== 'exited' || removed.exitCode !== 0)
      throw new Error(
        `git worktree remove ${path} failed: ${removed.status === 'exited' ? removed.stderr.trim() : removed.reason}`,
      );
    return `removed worktree ${path} (its branch and commits are kept)`;
  }
}
