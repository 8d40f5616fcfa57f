import { describe, expect, it } from 'vitest';
import {
  addWithheld,
  applyCapturePolicy,
  MAX_SESSION_ENV_BYTES,
  NOTHING_WITHHELD,
  oversizedWarnings,
  allowEnvRemedy,
  withheldSummary,
} from '../../../specs/capture-policy.js';

const TOKEN = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';

describe('the capture policy: what the state dir keeps of a session', () => {
  it('withholds secret variables by name and by value, unless allowed; keeps the rest', () => {
    const applied = applyCapturePolicy(
      {
        name: 'helios-a',
        environment: {
          EDITOR: 'vim',
          GITHUB_TOKEN: TOKEN,
          DB_PASSWORD: 'hunter22',
          EMPTY_SECRET: '',
          NOTES: `use ${TOKEN}`,
          AWS_SESSION_TOKEN: 'x',
        },
        scrollback: `$ echo ${TOKEN}\n${TOKEN}\n$ ls`,
      },
      { allowEnv: ['AWS_*'] },
    );
    expect(applied.environment).toEqual({
      EDITOR: 'vim',
      EMPTY_SECRET: '',
      AWS_SESSION_TOKEN: 'x',
    });
    expect(applied.scrollback).toBe('$ echo [redacted]\n[redacted]\n$ ls');
    expect(applied.withheld).toEqual({
      secretNames: ['GITHUB_TOKEN', 'DB_PASSWORD', 'NOTES'],
      oversized: [],
      scrollbackSecrets: 2,
    });
    expect(withheldSummary(applied.withheld)).toBe(
      '3 environment values (DB_PASSWORD, GITHUB_TOKEN, NOTES) and 2 secrets in scrollback withheld from the state dir',
    );
    expect(allowEnvRemedy(applied.withheld)).toEqual({
      code: 'allow_env',
      names: ['DB_PASSWORD', 'GITHUB_TOKEN', 'NOTES'],
    });
    expect(oversizedWarnings(applied.withheld)).toEqual([]);
  });

  it('keeps a session creatable: the largest variables go first until the rest fits tmux', () => {
    const applied = applyCapturePolicy(
      {
        name: 'helios-big',
        environment: { BIG: 'x'.repeat(1024 * 1024), MID: 'y'.repeat(6000), SMALL: 'z' },
        scrollback: '',
      },
      { allowEnv: [] },
    );
    expect(Object.keys(applied.environment).sort()).toEqual(['MID', 'SMALL']);
    expect(applied.withheld.oversized).toEqual([
      { session: 'helios-big', name: 'BIG', bytes: 1024 * 1024 + 4 },
    ]);
    expect(oversizedWarnings(applied.withheld)).toEqual([
      "session helios-big: environment variable BIG (1.0 MiB) not saved: a session's variables must fit in 8.0 KiB to be given to tmux again",
    ]);
    const many = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`V${i}`, 'v'.repeat(1000)]),
    );
    const trimmed = applyCapturePolicy(
      { name: 's', environment: many, scrollback: '' },
      { allowEnv: [] },
    );
    const bytes = Object.entries(trimmed.environment).reduce(
      (n, [k, v]) => n + k.length + 1 + v.length,
      0,
    );
    expect(bytes).toBeLessThanOrEqual(MAX_SESSION_ENV_BYTES);
    expect(trimmed.withheld.oversized.length).toBe(20 - Object.keys(trimmed.environment).length);
  });

  it('says nothing when nothing was withheld, and adds tallies up', () => {
    expect(withheldSummary(NOTHING_WITHHELD)).toBeNull();
    const one = { secretNames: ['A_TOKEN'], oversized: [], scrollbackSecrets: 1 };
    expect(withheldSummary(addWithheld(one, one))).toBe(
      '2 environment values (A_TOKEN) and 2 secrets in scrollback withheld from the state dir',
    );
    expect(withheldSummary({ ...NOTHING_WITHHELD, scrollbackSecrets: 1 })).toBe(
      '1 secret in scrollback withheld from the state dir',
    );
    expect(allowEnvRemedy({ ...NOTHING_WITHHELD, scrollbackSecrets: 1 })).toBeUndefined();
  });
});
