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

/** Options whose value (the next word, or the rest of the word) is a credential. */
const SECRET_OPTION = /^--?(password|passwd|pass|token|secret|api-?key|auth|user)(=|$)/i;

/** How many secrets a program's argv holds: a secret shape in it, or a credential option. */
function secretsInArgv(argv: readonly string[]): number {
  const name = argv[0]?.slice(argv[0].lastIndexOf('/') + 1) ?? '';
  const options = argv.filter(
    (arg, i) =>
      SECRET_OPTION.test(arg) ||
      // mysql -pPASS, sshpass -p PASS, curl -u user:pass
      (/^(mysql|mariadb|mysqldump)$/.test(name) && /^-p./.test(arg)) ||
      (name === 'sshpass' && arg === '-p' && i < argv.length - 1) ||
      (arg === '-u' && /:/.test(argv[i + 1] ?? '')),
  ).length;
  return redactSecrets(argv.join(' ')).count + options;
}

/**
 * A pane under the policy: its variables and scrollback as a session's; a program whose
 * arguments hold a secret (a password in a URL, a token, a credential option) is not kept (its
 * pane gets its shell), nor a title that holds one (shells set it to the running command).
 */
function policePane(pane: PaneSpec, name: string, policy: CapturePolicy): [PaneSpec, Withheld] {
  const applied = applyCapturePolicy(
    { name, environment: pane.environment ?? {}, scrollback: pane.scrollback },
    policy,
  );
  const secretArgs = secretsInArgv(pane.program ?? []);
  const secretTitle = pane.title === undefined ? 0 : secretsInArgv(pane.title.split(/\s+/));
  const { program, environment: _env, title, ...rest } = pane;
  return [
    {
      ...rest,
      ...(title !== undefined && secretTitle === 0 ? { title } : {}),
      ...(program && secretArgs === 0 ? { program } : {}),
      ...(Object.keys(applied.environment).length > 0 ? { environment: applied.environment } : {}),
      scrollback: applied.scrollback,
    },
    {
      ...applied.withheld,
      scrollbackSecrets: applied.withheld.scrollbackSecrets + secretArgs + secretTitle,
    },
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

/** Entries (drafts) under the same policy, with the tally: an import's sessions. */
export function withholdFromDrafts<T extends Policed & { readonly sessionName: string }>(
  entries: readonly T[],
  config: Pick<WorkspaceConfig, 'allowEnv'>,
): { items: T[]; withheld: Withheld } {
  return withhold(entries, (entry) => entry.sessionName, config);
}

/** Checkpoint entries under the same policy (entries an older version wrote included). */
export function withholdFromEntries<T extends Policed & { readonly sessionName: string }>(
  entries: readonly T[],
  config: Pick<WorkspaceConfig, 'allowEnv'>,
): T[] {
  return withhold(entries, (entry) => entry.sessionName, config).items;
}
