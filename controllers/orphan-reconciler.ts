import { executeActions } from '../actions/execute-plan.js';
import { updateReview } from '../actions/record-review.js';
import { protectedPidsOfSelf, terminateFenced } from '../actions/signal-process.js';
import { observeReview } from '../observers/observe-review.js';
import { runCommand } from '../observers/run-command.js';
import type { ReviewRecord } from '../specs/orphans.js';
import type { Outcome } from '../specs/outcome.js';
import type { CleanupAction, FlagAction, RemoveAction, TerminateAction } from '../specs/plan.js';
import { configure, type WorkspaceOptions } from './compose.js';
import { previewPlan } from './preview-plan.js';
import type { WorkspaceConfig } from './workspace-config.js';
import { executeTerminates } from '../actions/execute-cleanup.js';

/** What a scan found: what may be cleaned, and what needs the operator. */
export interface OrphanReport {
  readonly safeToTerminate: readonly (TerminateAction | RemoveAction)[];
  /** New items to flag plus the items already pending in `review.json`. */
  readonly needsReview: readonly (FlagAction | ReviewRecord)[];
  readonly totalFound: number;
}

export interface CleanupResult {
  readonly terminated: number;
  readonly removed: number;
  readonly reviewPending: number;
}

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

  /** The operator approves one review item: it is acted on (never a dirty lane), then dropped. */
  async approve(id: string): Promise<string> {
    const item = await this.#pending(id);
    const message = await this.#act(item);
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

  async #act(item: ReviewRecord): Promise<string> {
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
    return this.#removeLane(rest.join(':'));
  }

  async #removeLane(path: string): Promise<string> {
    const git = (args: string[]) =>
      runCommand('git', ['-C', path, ...args], { timeoutMs: this.config.timeoutMs });
    const status = await git(['status', '--porcelain']);
    if (status.status !== 'exited' || status.exitCode !== 0)
      throw new Error(`cannot read the state of ${path}: not removed`);
    if (status.stdout.trim().length > 0)
      throw new Error(
        `${path} has uncommitted changes: never removed (commit or stash them first)`,
      );
    const removed = await git(['worktree', 'remove', path]);
    if (removed.status !== 'exited' || removed.exitCode !== 0)
      throw new Error(
        `git worktree remove ${path} failed: ${removed.status === 'exited' ? removed.stderr.trim() : removed.reason}`,
      );
    return `removed worktree ${path} (its branch and commits are kept)`;
  }
}
