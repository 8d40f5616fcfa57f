import { z } from 'zod';
import { ACTION_KINDS } from './plan.js';
import { StoredRemedy } from './remedies.js';

/** What happened to one action or blocked item (one definition: the type is inferred). */
export const OutcomeSpec = z.object({
  key: z.string(),
  kind: z.enum([...ACTION_KINDS, 'blocked']),
  /** succeeded: done or already converged; failed: see reason; skipped: not attempted. */
  status: z.enum(['succeeded', 'failed', 'skipped']),
  reason: z.string(),
  message: z.string(),
  durationMs: z.number(),
  /** For sessions: how it came back, including a reattach that fell back to respawn. */
  restoredAs: z.enum(['reattached', 'respawned']).optional(),
  /** For failures: what the operator can do, as data (specs/remedies.ts); views word it. */
  remedy: StoredRemedy,
  /**
   * For failures: retrying the same action cannot help (a command that does not exist, a cwd
   * that is gone, a program that exits at once); only a change of the desired state or of the
   * world can (controller-runtime's terminal error). The daemon parks such an action until then.
   */
  terminal: z.boolean().optional(),
  /** For a respawned session of more than one pane: how many windows and panes came back. */
  shape: z.object({ windows: z.number().int(), panes: z.number().int() }).optional(),
  /** Saved programs that came back as their pane's shell: `ssh prod in api:0.1 (why)`. */
  notRestarted: z.array(z.string()).optional(),
  /** What the user should know although it went well (zellij's own layout kept, and where). */
  notes: z.array(z.string()).optional(),
});
export type Outcome = Readonly<z.infer<typeof OutcomeSpec>>;
