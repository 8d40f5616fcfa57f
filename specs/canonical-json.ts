import { createHash } from 'node:crypto';

/**
 * Canonical JSON as desired-state-v1.md defines it: object keys sorted recursively, no
 * whitespace, `undefined` members left out. Arrays keep their order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

/** `sha256:` + lowercase hex of the canonical form of `value` without its `checksum` field. */
export function computeChecksum(value: Record<string, unknown>): string {
  const { checksum: _ignored, ...rest } = value;
  return `sha256:${createHash('sha256').update(canonicalJson(rest)).digest('hex')}`;
}

/** True when `value.checksum` is exactly the checksum of the rest of `value`. */
export function hasValidChecksum(value: Record<string, unknown>): boolean {
  return typeof value.checksum === 'string' && value.checksum === computeChecksum(value);
}

/** Returns a copy of `value` with its `checksum` field (re)computed. */
export function withChecksum<T extends Record<string, unknown>>(
  value: T,
): T & { checksum: string } {
  return { ...value, checksum: computeChecksum(value) };
}
