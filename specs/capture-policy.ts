import type { Remedy } from './remedies.js';
import { isAllowedEnvName, isSecretEnvName, redactSecrets } from './secrets.js';

/**
 * A session's variables are given to tmux on its `new-session` command line, which tmux refuses
 * past 16 KiB ("command too long"), and the kernel refuses one argument past 128 KiB (E2BIG):
 * a session keeps at most this many bytes of `NAME=value`, so it can always be created again.
 */
export const MAX_SESSION_ENV_BYTES = 8 * 1024;

/** What the policy kept out of one session, or of many (see `addWithheld`). */
export interface Withheld {
  /** Variables withheld as secrets (by name or by a secret-shaped value), by name. */
  readonly secretNames: readonly string[];
  /** Variables left out because the session's variables would not fit, with their size. */
  readonly oversized: readonly {
    readonly session: string;
    readonly name: string;
    readonly bytes: number;
  }[];
  /** Secrets replaced by `[redacted]` in scrollback. */
  readonly scrollbackSecrets: number;
}

export const NOTHING_WITHHELD: Withheld = { secretNames: [], oversized: [], scrollbackSecrets: 0 };

/** Which secrets are let through: variable names or globs (`--allow-env`). */
export interface CapturePolicy {
  readonly allowEnv: readonly string[];
}

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** The bytes of a session's variables as MAX_SESSION_ENV_BYTES counts them (`NAME=value`). */
export const sessionEnvBytes = (environment: Readonly<Record<string, string>>): number =>
  Object.entries(environment).reduce(
    (sum, [name, value]) => sum + utf8Bytes(`${name}=${value}`),
    0,
  );

/**
 * What the state dir may keep of a captured or imported session: its environment without the
 * secret variables (a secret name with a non-empty value, or a value holding a secret shape)
 * that `allowEnv` does not name, and without the largest variables past MAX_SESSION_ENV_BYTES;
 * its scrollback with every secret shape redacted (allowEnv does not apply to scrollback).
 */
export function applyCapturePolicy(
  session: {
    readonly name: string;
    readonly environment: Readonly<Record<string, string>>;
    readonly scrollback: string;
  },
  policy: CapturePolicy,
): { environment: Record<string, string>; scrollback: string; withheld: Withheld } {
  const secretNames: string[] = [];
  const kept: [string, string][] = [];
  for (const [name, value] of Object.entries(session.environment)) {
    const secret = value.length > 0 && (isSecretEnvName(name) || redactSecrets(value).count > 0);
    if (secret && !isAllowedEnvName(name, policy.allowEnv)) secretNames.push(name);
    else kept.push([name, value]);
  }
  const sized = kept.map(([name, value]) => ({
    session: session.name,
    name,
    bytes: utf8Bytes(`${name}=${value}`),
  }));
  let total = sized.reduce((sum, entry) => sum + entry.bytes, 0);
  const oversized: Withheld['oversized'][number][] = [];
  for (const entry of [...sized].sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1))) {
    if (total <= MAX_SESSION_ENV_BYTES) break;
    oversized.push(entry);
    total -= entry.bytes;
  }
  const dropped = new Set(oversized.map((entry) => entry.name));
  const redacted = redactSecrets(session.scrollback);
  return {
    environment: Object.fromEntries(kept.filter(([name]) => !dropped.has(name))),
    scrollback: redacted.text,
    withheld: { secretNames, oversized, scrollbackSecrets: redacted.count },
  };
}

/** Two tallies as one. */
export function addWithheld(a: Withheld, b: Withheld): Withheld {
  return {
    secretNames: [...a.secretNames, ...b.secretNames],
    oversized: [...a.oversized, ...b.oversized],
    scrollbackSecrets: a.scrollbackSecrets + b.scrollbackSecrets,
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
    : bytes >= 1024
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${bytes} bytes`;

/**
 * The summary of the secrets withheld: "2 environment values (DB_PASSWORD, GITHUB_TOKEN) and
 * 1 secret in scrollback withheld from the state dir". Null when none was; `allowEnvRemedy`
 * says how to keep the variables.
 */
export function withheldSummary(withheld: Withheld): string | null {
  const names = [...new Set(withheld.secretNames)].sort();
  const parts = [
    ...(names.length > 0
      ? [
          `${plural(withheld.secretNames.length, 'environment value', 'environment values')} (${names.join(', ')})`,
        ]
      : []),
    ...(withheld.scrollbackSecrets > 0
      ? [`${plural(withheld.scrollbackSecrets, 'secret', 'secrets')} in scrollback`]
      : []),
  ];
  if (parts.length === 0) return null;
  return `${parts.join(' and ')} withheld from the state dir`;
}

/** How to keep the withheld variables after all; undefined when none was withheld. */
export function allowEnvRemedy(withheld: Withheld): Remedy | undefined {
  const names = [...new Set(withheld.secretNames)].sort();
  return names.length > 0 ? { code: 'allow_env', names } : undefined;
}

/** One warning per variable left out for its size, naming its session. */
export function oversizedWarnings(withheld: Withheld): string[] {
  return withheld.oversized.map(
    ({ session, name, bytes }) =>
      `session ${session}: environment variable ${name} (${sizeText(bytes)}) not saved: a session's variables must fit in ${sizeText(MAX_SESSION_ENV_BYTES)} to be given to tmux again`,
  );
}
