/**
 * The control protocol's JSON, read without zod: the client's path of a successful request
 * never loads the schemas (zod's module alone was about 70 ms of a `session open` round trip).
 * specs/control-protocol.ts holds the schemas every request and every other reply is read by.
 */

/** Keys that change an object's prototype or shadow its machinery when used as data. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

export class ForbiddenKey extends Error {}

/** Why a request holding a forbidden key is refused. */
export const forbiddenKeyRefusal = (key: string) => `request refused: key "${key}" is not allowed`;

/** JSON.parse that refuses `__proto__`, `constructor` and `prototype` keys at any depth. */
export function parseJsonWithoutPrototypeKeys(text: string): unknown {
  return JSON.parse(text, (key: string, value: unknown) => {
    if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKey(key);
    return value;
  });
}

/** The first forbidden key at any depth of `value` (own keys, null prototypes included). */
export function findForbiddenKey(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return key;
    const inner = findForbiddenKey((value as Record<string, unknown>)[key]);
    if (inner !== null) return inner;
  }
  return null;
}

/**
 * A success reply, `{"ok":true,"result":...}` and nothing else, or null for any other line (a
 * failure, its remedy, something ill-formed): those are read by the full schema.
 */
export function readSuccessReply(line: string): { ok: true; result: unknown } | null {
  let value: unknown;
  try {
    value = parseJsonWithoutPrototypeKeys(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  const reply = value as { ok?: unknown; result?: unknown };
  if (reply.ok !== true || keys.length !== 2 || !keys.includes('result')) return null;
  return { ok: true, result: reply.result };
}
