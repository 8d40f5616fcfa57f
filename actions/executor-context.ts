import type { ClientContext } from '../clients/client-context.js';

export type { StepResult } from '../clients/client-context.js';

/** Everything an executor needs; executors never reach for globals. */
export interface ExecutorContext extends ClientContext {
  /** Crash-loop safe mode: respawns run the user's shell instead of any other command. */
  readonly safeMode?: boolean | undefined;
  /** Programs restored beyond the default table (`*`: every one). */
  readonly restorePrograms?: readonly string[] | undefined;
}
