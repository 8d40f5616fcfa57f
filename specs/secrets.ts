/**
 * What counts as a secret in what a checkpoint or an import would write to the state dir: the
 * environment variables whose names say they hold credentials, and the well-known shapes of
 * tokens and keys in text (scrollback, and environment values under any name).
 */

/**
 * Names of variables that hold credentials by convention (`*` is any run of characters;
 * matched case-insensitively, with `-` and `.` read as `_`). Cloud credentials are covered:
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and `AZURE_CLIENT_SECRET` by the patterns,
 * `AWS_ACCESS_KEY_ID` and `GOOGLE_APPLICATION_CREDENTIALS` by name.
 */
export const SECRET_ENV_NAMES: readonly string[] = [
  '*TOKEN*',
  '*SECRET*',
  '*PASSWORD*',
  '*PASSWD*',
  '*PASSPHRASE*',
  '*_PASS',
  '*_PWD',
  '*_KEY',
  '*API_KEY*',
  '*APIKEY*',
  '*ACCESS_KEY*',
  '*PRIVATE_KEY*',
  '*CREDENTIAL*',
  '*CONNECTION_STRING*',
  '*_AUTH',
  'AWS_ACCESS_KEY_ID',
];

/** What a withheld value or a redacted secret is replaced by in text. */
export const REDACTED = '[redacted]';

function globsToRegExp(globs: readonly string[]): RegExp {
  const alternatives = globs.map((glob) =>
    glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
  );
  return new RegExp(`^(?:${alternatives.join('|')})$`, 'i');
}

const SECRET_NAME = globsToRegExp(SECRET_ENV_NAMES);
const normalName = (name: string) => name.replace(/[-.]/g, '_');

/** True when `name` says its variable holds a credential (SECRET_ENV_NAMES). */
export function isSecretEnvName(name: string): boolean {
  return SECRET_NAME.test(normalName(name));
}

/** True when `name` is named by `allow`: exact names or `*` globs, case-insensitively. */
export function isAllowedEnvName(name: string, allow: readonly string[]): boolean {
  return allow.length > 0 && globsToRegExp(allow).test(name);
}

/** A name `--allow-env` accepts: a variable name, or a glob of one. */
export const ALLOW_ENV_NAME = /^[A-Za-z_*][A-Za-z0-9_*]*$/;

/** Tokens whose shape alone says what they are: the whole match is replaced. */
const TOKEN_SHAPES: readonly RegExp[] = [
  // AWS access key ids (long-term AKIA, temporary ASIA, and the other principal prefixes).
  /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  // GitHub: personal, OAuth, user-to-server, server-to-server, refresh; fine-grained PATs.
  /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{30,}/g,
  /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}/g,
  // GitLab personal, pipeline trigger, deploy, runner and other tokens.
  /(?<![A-Za-z0-9_-])gl(?:pat|ptt|dt|rt|cbt|oas|soat|ffct|imt|agent)-[A-Za-z0-9_-]{20,}/g,
  // Slack bot, user, app-level, refresh and legacy tokens.
  /(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}/g,
  /(?<![A-Za-z0-9])xapp-[0-9]+-[A-Za-z0-9-]{10,}/g,
  // Stripe, OpenAI / Anthropic style `sk-`, Google API keys, npm, PyPI, Hugging Face.
  /(?<![A-Za-z0-9])[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/g,
  /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/g,
  /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}/g,
  /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}/g,
  /(?<![A-Za-z0-9_-])pypi-[A-Za-z0-9_-]{50,}/g,
  /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}/g,
  // HashiCorp Vault, DigitalOcean, SendGrid.
  /(?<![A-Za-z0-9])hv[sbr]\.[A-Za-z0-9_-]{24,}/g,
  /(?<![A-Za-z0-9])do[por]_v1_[a-f0-9]{64}/g,
  /(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/g,
  // JSON Web Tokens (header and payload are base64url JSON objects).
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

const KEY_LABEL = '(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?';
/** A private-key block, to its END line or, cut off, to the end of the text. */
const PRIVATE_KEY_BLOCK = new RegExp(
  `-----BEGIN ${KEY_LABEL}-----[\\s\\S]*?(?:-----END ${KEY_LABEL}-----|$)`,
  'g',
);
const PRIVATE_KEY_END = new RegExp(`-----END ${KEY_LABEL}-----`, 'g');
/** What a key block's body lines look like: base64, a PEM or PGP header, or blank. */
const KEY_BODY_LINE =
  /^(?:[A-Za-z0-9+/=]{8,}|(?:Proc-Type|DEK-Info|Comment|Version|Hash): .*|)\r?$/;

/** A value that is no secret: a number, a boolean or null word, stars, a `$VAR`, a marker. */
const TRIVIAL_VALUE =
  /^(?:[\d.]*|true|false|yes|no|on|off|null|nil|none|undefined|\*+|\$.*|<[^>]*>|\[redacted\])$/i;

/** `Authorization: Bearer <credentials>` (and Proxy-Authorization), any scheme. */
const AUTHORIZATION =
  /\b((?:proxy-)?authorization["']?[ \t]*[:=][ \t]*["']?)((?:bearer|basic|token|digest|negotiate|ntlm|apikey)[ \t]+)?([^\s"',;]+)/gi;
/** The password of a URL's user info: `scheme://user:<password>@host`. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{0,31}:\/\/[^\s/:@]+:)([^\s/@]+)@/gi;
/** `curl -u user:<password>` and the like. */
const USER_OPTION = /(^|[ \t])(-u|--user)([ \t]+[^\s:]+:)(\S+)/g;
/**
 * `NAME=value`, `name: value`, `"name": "value"`, `--name=value`: redacted when NAME is secret.
 * A name has at most 8 `.`/`-` separated parts and a scheme at most 32 characters, so that no
 * start is scanned past a bounded length (linear on any text).
 */
const ASSIGNMENT =
  /(["']?)\b([A-Za-z_][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+){0,7})\1([ \t]*[:=][ \t]*)(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"',;]+))/g;

/** Private-key bodies whose BEGIN line was cut off (a capture keeps the last lines only). */
function redactHeadlessKeys(text: string, count: () => void): string {
  if (!text.includes('-----END ')) return text;
  let result = '';
  let from = 0;
  for (const match of text.matchAll(PRIVATE_KEY_END)) {
    // The block's body: the lines just above its END line that look like one.
    let start = match.index;
    while (start > from && text[start - 1] === '\n') {
      const lineStart = start >= 2 ? text.lastIndexOf('\n', start - 2) + 1 : 0;
      if (lineStart < from || !KEY_BODY_LINE.test(text.slice(lineStart, start - 1))) break;
      start = lineStart;
    }
    result += `${text.slice(from, start)}${REDACTED}`;
    from = match.index + match[0].length;
    count();
  }
  return result + text.slice(from);
}

/**
 * Replaces every secret in `text` by REDACTED: tokens of a known shape, private-key blocks
 * (whole, even cut off at either end), Authorization header credentials, URL passwords, and
 * the values of assignments whose name is a secret name (`export GITHUB_TOKEN=...`, `env`
 * output, `password: ...`). `count` is how many were replaced. Idempotent: the marker matches
 * no rule; text without a secret is returned unchanged.
 */
export function redactSecrets(text: string): { text: string; count: number } {
  let count = 0;
  const counted = (replacement: string) => {
    count += 1;
    return replacement;
  };
  let result = text.replace(PRIVATE_KEY_BLOCK, () => counted(REDACTED));
  result = redactHeadlessKeys(result, () => (count += 1));
  result = result.replace(AUTHORIZATION, (whole, head: string, scheme = '', credentials: string) =>
    credentials === REDACTED ? whole : counted(`${head}${scheme}${REDACTED}`),
  );
  result = result.replace(URL_PASSWORD, (whole, head: string, password: string) =>
    password === REDACTED ? whole : counted(`${head}${REDACTED}@`),
  );
  result = result.replace(USER_OPTION, (whole, lead: string, flag: string, user: string, pw) =>
    TRIVIAL_VALUE.test(pw as string) ? whole : counted(`${lead}${flag}${user}${REDACTED}`),
  );
  for (const shape of TOKEN_SHAPES) result = result.replace(shape, () => counted(REDACTED));
  result = result.replace(
    ASSIGNMENT,
    (whole, quote: string, name: string, separator: string, dq?: string, sq?: string, bare?) => {
      const value = (dq ?? sq ?? bare) as string;
      if (!isSecretEnvName(name) || TRIVIAL_VALUE.test(value) || value.includes(REDACTED))
        return whole;
      const wrap = dq !== undefined ? '"' : sq !== undefined ? "'" : '';
      return counted(`${quote}${name}${quote}${separator}${wrap}${REDACTED}${wrap}`);
    },
  );
  return { text: count === 0 ? text : result, count };
}
