/** What happened to one action or blocked item. */
export interface Outcome {
  readonly key: string;
  readonly kind:
    'reattach' | 'reinventory' | 'respawn' | 'terminate' | 'remove' | 'flag' | 'blocked';
  /** succeeded: done or already converged; failed: see reason; skipped: not attempted. */
  readonly status: 'succeeded' | 'failed' | 'skipped';
  readonly reason: string;
  readonly message: string;
  readonly durationMs: number;
  /** For sessions: how it came back, including a reattach that fell back to respawn. */
  readonly restoredAs?: 'reattached' | 'respawned';
  /** For failures: what the operator can do. */
  readonly suggestion?: string;
}
