import type { CapturedSession } from '../../specs/actual-state.js';
import {
  addWithheld,
  applyCapturePolicy,
  NOTHING_WITHHELD,
  type Withheld,
} from '../../specs/capture-policy.js';
import type { SessionEntrySpec } from '../../specs/checkpoint-spec.js';
import type { WorkspaceConfig } from '../workspace-config.js';

type Policed = Pick<SessionEntrySpec, 'environment' | 'scrollback'>;

function withhold<T extends Policed>(
  items: readonly T[],
  nameOf: (item: T) => string,
  config: Pick<WorkspaceConfig, 'allowEnv'>,
): { items: T[]; withheld: Withheld } {
  let withheld = NOTHING_WITHHELD;
  const kept = items.map((item) => {
    const applied = applyCapturePolicy(
      { name: nameOf(item), environment: item.environment, scrollback: item.scrollback },
      { allowEnv: config.allowEnv ?? [] },
    );
    withheld = addWithheld(withheld, applied.withheld);
    return { ...item, environment: applied.environment, scrollback: applied.scrollback };
  });
  return { items: kept, withheld };
}

/**
 * Captured sessions as the state dir may keep them (`specs/capture-policy.ts`): secret
 * variables the workspace's `allowEnv` does not name are withheld, secrets in scrollback are
 * redacted, and variables that tmux could not be given again are left out; with the tally.
 */
export function withholdSecrets(
  sessions: readonly CapturedSession[],
  config: Pick<WorkspaceConfig, 'allowEnv'>,
): { sessions: CapturedSession[]; withheld: Withheld } {
  const { items, withheld } = withhold(sessions, (session) => session.name, config);
  return { sessions: items, withheld };
}

/** Checkpoint entries under the same policy (entries an older version wrote included). */
export function withholdFromEntries<T extends Policed & { readonly sessionName: string }>(
  entries: readonly T[],
  config: Pick<WorkspaceConfig, 'allowEnv'>,
): T[] {
  return withhold(entries, (entry) => entry.sessionName, config).items;
}
