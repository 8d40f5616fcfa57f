import { z } from 'zod';

/** What happened to one action or blocked item (one definition: the type is inferred). */
export const OutcomeSpec = z.object({
  key: z.string(),
  kind: z.enum(['reattach', 'reinventory', 'respawn', 'terminate', 'remove', 'flag', 'blocked']),
  /** succeeded: done or already converged; failed: see reason; skipped: not attempted. */
  status: z.enum(['succeeded', 'failed', 'skipped']),
  reason: z.string(),
  message: z.string(),
  durationMs: z.number(),
  /** For sessions: how it came back, including a reattach that fell back to respawn. */
  restoredAs: z.enum(['reattached', 'respawned']).optional(),
  /** For failures: what the operator can do. */
  suggestion: z.string().optional(),
});
export type Outcome = Readonly<z.infer<typeof OutcomeSpec>>;
