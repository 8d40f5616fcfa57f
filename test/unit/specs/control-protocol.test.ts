import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkControlRequest,
  parseControlRequest,
  parseControlResponse,
} from '../../../specs/control-protocol.js';
import { readSuccessReply } from '../../../specs/control-json.js';

const envName = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/)
  .filter(
    (key) => !key.startsWith('HELIOS_') && !['__proto__', 'constructor', 'prototype'].includes(key),
  );

describe('the control protocol', () => {
  it('round-trips every valid open request exactly', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 0, maxLength: 40 }).map((tail) => `/${tail}`),
        fc.dictionary(envName, fc.string({ maxLength: 40 })),
        (cwd, env) => {
          const request = { op: 'open', cwd, env };
          expect(parseControlRequest(JSON.stringify(request))).toEqual(request);
        },
      ),
    );
  });

  it('refuses a forbidden key at any depth, however it was built', () => {
    const forbidden = fc.constantFrom('__proto__', 'constructor', 'prototype');
    fc.assert(
      fc.property(forbidden, fc.boolean(), (key, nested) => {
        const line = nested
          ? `{"op":"open","cwd":"/tmp","env":{"${key}":"x"}}`
          : `{"op":"open","cwd":"/tmp","${key}":{"a":"b"}}`;
        expect(parseControlRequest(line)).toBe(`request refused: key "${key}" is not allowed`);
        const env = Object.create(null) as Record<string, string>;
        env[key] = 'x';
        expect(checkControlRequest({ op: 'open', cwd: '/tmp', env })).toMatch(/not allowed/);
      }),
    );
  });

  it('names the first bad field in one line', () => {
    expect(parseControlRequest('{"op":"open","cwd":"rel"}')).toBe(
      'request refused: cwd: expected an absolute path',
    );
    expect(parseControlRequest('{"op":"close"}')).toMatch(/^request refused: sessionId/);
    expect(parseControlRequest('[')).toBe('request is not JSON');
    // A session's variables fit what a checkpoint keeps and tmux takes: 8 KiB of NAME=value.
    const fits = { op: 'open', cwd: '/tmp', env: { A: 'x'.repeat(4000), B: 'é'.repeat(2094) } };
    expect(checkControlRequest(fits)).toEqual(fits);
    expect(checkControlRequest({ ...fits, env: { ...fits.env, C: '' } })).toBe(
      'request refused: env: at most 8192 bytes of NAME=value in all',
    );
    expect(parseControlResponse('{"ok":true,"result":[1]}')).toEqual({ ok: true, result: [1] });
    expect(parseControlResponse('{"ok":"yes"}')).toMatchObject({ ok: false });
  });
});

describe("the client's success reader (no zod)", () => {
  const reply = fc.oneof(
    fc.record({ ok: fc.constant(true), result: fc.jsonValue() }),
    fc.record(
      { ok: fc.jsonValue(), result: fc.jsonValue(), error: fc.string(), extra: fc.jsonValue() },
      { requiredKeys: [] },
    ),
    fc.jsonValue(),
  );

  it('reads a line as a success exactly when the schema does, with the same value', () => {
    fc.assert(
      fc.property(reply, (value) => {
        const line = JSON.stringify(value);
        const full = parseControlResponse(line);
        const quick = readSuccessReply(line);
        if (full.ok) expect(quick).toEqual(full);
        else expect(quick).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('refuses prototype keys at any depth and what is not JSON', () => {
    expect(readSuccessReply('{"ok":true,"result":{"a":{"__proto__":1}}}')).toBeNull();
    expect(readSuccessReply('{"ok":true,"result":1,"constructor":2}')).toBeNull();
    expect(readSuccessReply('{"ok":true')).toBeNull();
    expect(readSuccessReply('[true,1]')).toBeNull();
    expect(readSuccessReply('{"ok":true}')).toBeNull(); // the schema wants a result too
  });
});
