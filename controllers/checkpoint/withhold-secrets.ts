import type { CapturedSession } from '../../specs/actual-state.js';
import {
  addWithheld,
  applyCapturePolicy,
  type CapturePolicy,
  NOTHING_WITHHELD,
  type Withheld,
} from '../../specs/capture-policy.js';
import type { PaneSpec, SessionEntrySpec, WindowSpec } from '../../specs/checkpoint-spec.js';
import { redactSecrets } from '../../specs/secrets.js';
import { paneLabel } from '../../specs/session-windows.js';
import type { WorkspaceConfig } from '../workspace-config.js';

type Policed = Pick<SessionEntrySpec, 'environment' | 'scrollback'> & {
  readonly windows?: readonly WindowSpec[] | undefined;
};

/**
 * A pane under the policy: its variables and scrollback as a session's; a program whose
 * arguments hold a secret (a password in a URL, a token) is not kept (its pane gets its shell).
 */
function policePane(pane: PaneSpec, name: string, policy: CapturePolicy): [PaneSpec, Withheld] {
  const applied = applyCapturePolicy(
    { name, environment: pane.environment ?? {}, scrollback: pane.scrollback },
    policy,
  );
  const secretArgs = (pane.program ?? []).reduce((n, arg) => n + redactSecrets(arg).count, 0);
  const { program, environment: _env, ...rest } = pane;
  return [
    {
      ...rest,
      ...(program && secretArgs === 0 ? { program } : {}),
      ...(Object.keys(applied.environment).length > 0 ? { environment: applied.environment } : {}),
      scrollback: applied.scrollback,
    },
    { ...applied.withheld, scrollbackSecrets: applied.withheld.scrollbackSecrets + secretArgs },
  ];
}

function withhold<T extends Policed>(
  items: readonly T[],
  nameOf: (item: T) => string,
  config: Pick<WorkspaceConfig, 'allowEnv'>,
): { items: T[]; withheld: Withheld } {
  let withheld = NOTHING_WITHHELD;
  const policy = { allowEnv: config.allowEnv ?? [] };
  const kept = items.map((item) => {
    const name = nameOf(item);
    const applied = applyCapturePolicy(
      { name, environment: item.environment, scrollback: item.scrollback },
      policy,
    );
    withheld = addWithheld(withheld, applied.withheld);
    const windows = item.windows?.map((window) => ({
      ...window,
      panes: window.panes.map((pane) => {
        const [policed, tally] = policePane(
          pane,
          paneLabel(name, window.index, pane.index),
          policy,
        );
        withheld = addWithheld(withheld, tally);
        return policed;
      }),
    }));
    return {
      ...item,
      environment: applied.environment,
      scrollback: applied.scrollback,
      ...(windows ? { windows } : {}),
    };
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
