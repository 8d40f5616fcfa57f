import type { CapturedSession } from '../specs/actual-state.js';
import {
  addWithheld,
  applyCapturePolicy,
  NOTHING_WITHHELD,
  type Withheld,
} from '../specs/capture-policy.js';
import type { WorkspaceConfig } from './workspace-config.js';

/**
 * Captured sessions as the state dir may keep them (`specs/capture-policy.ts`): secret
 * variables the workspace's `allowEnv` does not name are withheld, secrets in scrollback are
 * redacted, and variables that tmux could not be given again are left out; with the tally.
 */
export function withholdSecrets(
  sessions: readonly CapturedSession[],
  config: Pick<WorkspaceConfig, 'allowEnv'>,
): { sessions: CapturedSession[]; withheld: Withheld } {
  let withheld = NOTHING_WITHHELD;
  const kept = sessions.map((session) => {
    const applied = applyCapturePolicy(session, { allowEnv: config.allowEnv ?? [] });
    withheld = addWithheld(withheld, applied.withheld);
    return { ...session, environment: applied.environment, scrollback: applied.scrollback };
  });
  return { sessions: kept, withheld };
}
