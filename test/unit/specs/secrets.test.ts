import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isAllowedEnvName,
  isSecretEnvName,
  REDACTED,
  redactSecrets,
} from '../../../specs/secrets.js';

const chars = (alphabet: string, min: number, max: number) =>
  fc
    .array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max })
    .map((list) => list.join(''));
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = `${UPPER}abcdefghijklmnopqrstuvwxyz0123456789`;
const BASE64 = `${ALNUM}+/`;

/** A secret as it shows in a terminal, and the part of it that must not survive. */
interface Planted {
  readonly text: string;
  readonly secret: string;
}
const planted = (prefix: fc.Arbitrary<string>, secret: fc.Arbitrary<string>, suffix = '') =>
  fc.tuple(prefix, secret).map(([p, s]): Planted => ({ text: `${p}${s}${suffix}`, secret: s }));
const token = (head: fc.Arbitrary<string>, body: fc.Arbitrary<string>) =>
  fc.tuple(head, body).map(([h, b]): Planted => ({ text: `${h}${b}`, secret: `${h}${b}` }));

const SECRETS: fc.Arbitrary<Planted> = fc.oneof(
  token(fc.constantFrom('AKIA', 'ASIA'), chars(`${UPPER}0123456789`, 16, 16)),
  token(fc.constantFrom('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'), chars(ALNUM, 36, 40)),
  token(fc.constant('github_pat_'), chars(`${ALNUM}_`, 82, 82)),
  token(fc.constant('glpat-'), chars(`${ALNUM}_-`, 20, 26)),
  token(fc.constantFrom('xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-'), chars(`${ALNUM}-`, 10, 50)),
  token(fc.constantFrom('sk_live_', 'sk-proj-', 'hf_', 'npm_'), chars(ALNUM, 36, 36)),
  fc
    .tuple(
      fc.constantFrom('RSA ', 'OPENSSH ', 'EC ', 'ENCRYPTED ', ''),
      fc.array(chars(BASE64, 16, 64), { minLength: 1, maxLength: 6 }),
      fc.boolean(),
    )
    .map(([kind, lines, cutOff]): Planted => {
      const body = lines.join('\n');
      const block = `-----BEGIN ${kind}PRIVATE KEY-----\n${body}\n-----END ${kind}PRIVATE KEY-----`;
      // A capture that keeps the last lines may have cut the BEGIN line off.
      return { text: cutOff ? block.slice(block.indexOf('\n') + 1) : block, secret: body };
    }),
  planted(
    fc.constantFrom('Authorization: Bearer ', 'authorization: Basic ', "-H 'Authorization: token "),
    chars(`${ALNUM}=._~+/-`, 12, 60),
  ),
  planted(fc.constantFrom('postgres://app:', 'https://user:'), chars(ALNUM, 6, 20), '@db.local/x'),
  fc
    .tuple(
      fc.constantFrom(
        'GITHUB_TOKEN',
        'DB_PASSWORD',
        'aws_secret_access_key',
        'api-key',
        'X_SECRET',
      ),
      fc.constantFrom('=', ': ', ' = ', '="'),
      chars(`${ALNUM}!%^&*()+-`, 8, 30).map((value) => `v${value}`),
    )
    .map(([name, separator, value]): Planted => ({
      text: `${name}${separator}${value}${separator.endsWith('"') ? '"' : ''}`,
      secret: value,
    })),
);

/** Text nobody would call a secret, with the words that look closest to one. */
const SAFE_SAMPLES = [
  '$ ls -la',
  'export PATH=/usr/local/bin:/usr/bin',
  'SSH_AUTH_SOCK=/tmp/ssh-x/agent.1',
  '-----BEGIN PUBLIC KEY-----',
  '-----BEGIN CERTIFICATE-----',
  'Authorization required',
  'max_tokens=100 primary_key=True api_key=None password=$DB_PASSWORD',
  'Password:',
  'git commit -m "fix token parsing"',
  'https://github.com/org/repo git@github.com:org/repo.git',
  'docker run -u 1000:1000 task-runner-configuration-file',
  'the secret of a good API is a good name',
];
const safeText = fc
  .stringMatching(/^[a-z0-9 .,()/\n-]{0,60}$/)
  .filter((text) => !/sk-|xox|xapp-|gl[a-z]+-|pypi-|hv[sbr]\./.test(text));
const safe = fc.oneof(fc.constantFrom(...SAFE_SAMPLES), safeText);

describe('secret variable names', () => {
  it('matches the documented patterns, case-insensitively, and nothing ordinary', () => {
    for (const name of [
      'GITHUB_TOKEN',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_ACCESS_KEY_ID',
      'AWS_SESSION_TOKEN',
      'GOOGLE_APPLICATION_CREDENTIALS',
      'AZURE_CLIENT_SECRET',
      'DB_PASSWORD',
      'PGPASSWORD',
      'MYSQL_PWD',
      'SMTP_PASS',
      'OPENAI_API_KEY',
      'STRIPE_KEY',
      'github_token',
      'NPM_CONFIG__AUTH',
    ])
      expect(isSecretEnvName(name), name).toBe(true);
    for (const name of ['PATH', 'HOME', 'SSH_AUTH_SOCK', 'EDITOR', 'KEYMAP', 'GIT_ASKPASS', 'LANG'])
      expect(isSecretEnvName(name), name).toBe(false);
  });

  it('lets through what --allow-env names, exactly or by glob', () => {
    expect(isAllowedEnvName('GITHUB_TOKEN', ['GITHUB_TOKEN'])).toBe(true);
    expect(isAllowedEnvName('github_token', ['GITHUB_TOKEN'])).toBe(true);
    expect(isAllowedEnvName('AWS_SESSION_TOKEN', ['AWS_*'])).toBe(true);
    expect(isAllowedEnvName('GITHUB_TOKEN', ['GITHUB'])).toBe(false);
    expect(isAllowedEnvName('GITHUB_TOKEN', [])).toBe(false);
  });
});

describe('redactSecrets', () => {
  it('leaves no planted secret in any text, counts each one, and is idempotent', () => {
    const line = fc.oneof(
      safe.map((text) => ({ text, secret: null as string | null })),
      SECRETS,
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        // A prompt line between them: a key block's body never runs into the line above.
        const text = lines.map((l) => l.text).join('\n$ next\n');
        const redacted = redactSecrets(text);
        for (const { secret } of lines)
          if (secret !== null) expect(redacted.text).not.toContain(secret);
        expect(redacted.count).toBe(lines.filter((l) => l.secret !== null).length);
        expect(redactSecrets(redacted.text)).toEqual({ text: redacted.text, count: 0 });
      }),
      { numRuns: 500 },
    );
  });

  it('leaves text without a secret exactly as it is', () => {
    fc.assert(
      fc.property(fc.array(safe, { maxLength: 10 }), (parts) => {
        const text = parts.join('\n');
        expect(redactSecrets(text)).toEqual({ text, count: 0 });
      }),
    );
  });

  it('stays linear on hostile text (no start is scanned past a bounded length)', () => {
    const hostile = [
      'a.'.repeat(32_768),
      'a-'.repeat(32_768),
      `${'a+'.repeat(32_768)}://x`,
      'a="'.repeat(20_000),
      'x-api-key: '.repeat(6_000),
      `${'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123456789\n'.repeat(1_000)}-----END RSA PRIVATE KEY-----`,
      '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(2_000),
      'Authorization: Bearer '.repeat(3_000),
    ];
    const started = performance.now();
    for (const text of hostile) redactSecrets(text);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('shows where a secret was, keeping what says what it was', () => {
    const text = [
      'export GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345',
      'curl -H "Authorization: Bearer abc.def.ghi" https://admin:hunter22@example.com/x',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
      '-----END OPENSSH PRIVATE KEY-----',
      'done',
    ].join('\n');
    expect(redactSecrets(text)).toEqual({
      text: [
        `export GITHUB_TOKEN=${REDACTED}`,
        `curl -H "Authorization: Bearer ${REDACTED}" https://admin:${REDACTED}@example.com/x`,
        REDACTED,
        'done',
      ].join('\n'),
      count: 4,
    });
  });
});
