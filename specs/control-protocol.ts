import { isMarkerName, MARKER_PREFIX } from './markers.js';
import { z } from 'zod';
import { describeZodError } from './checkpoint-codec.js';
import { ProcessText } from './checkpoint-spec.js';
import { Remedy } from './remedies.js';
import { MAX_SESSION_ENV_BYTES, sessionEnvBytes } from './capture-policy.js';
import {
  findForbiddenKey,
  ForbiddenKey,
  forbiddenKeyRefusal,
  parseJsonWithoutPrototypeKeys,
} from './control-json.js';

/** The largest request line the daemon reads (bytes, newline excluded); longer ones are refused. */
export const MAX_REQUEST_BYTES = 64 * 1024;
/** How many control connections the daemon serves at once; more are refused at connect. */
export const MAX_CONTROL_CLIENTS = 16;

const EnvName = z
  .string()
  .max(256)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _ only, not starting with a digit')
  .refine((key) => !isMarkerName(key), `${MARKER_PREFIX}* names are reserved for markers`);

const OpenRequest = z.strictObject({
  op: z.literal('open'),
  cwd: ProcessText.min(1).max(4096).startsWith('/', 'expected an absolute path'),
  // What a checkpoint keeps of a session's variables, so that tmux can always create it again:
  // a session opened with more could not start (tmux: "command too long").
  env: z
    .record(EnvName, ProcessText.max(32 * 1024))
    .refine(
      (env) => sessionEnvBytes(env) <= MAX_SESSION_ENV_BYTES,
      `at most ${MAX_SESSION_ENV_BYTES} bytes of NAME=value in all`,
    )
    .optional(),
  lane: z.string().min(1).max(128).nullable().optional(),
});
const CloseRequest = z.strictObject({
  op: z.literal('close'),
  sessionId: z.string().min(1).max(128),
});
const ListRequest = z.strictObject({ op: z.literal('list') });

/** A control request (one JSON line), as the CLI's session command sends it. */
export const ControlRequest = z.discriminatedUnion('op', [OpenRequest, CloseRequest, ListRequest]);
export type ControlRequest = z.infer<typeof ControlRequest>;

export const ControlResponse = z.union([
  z.strictObject({ ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: z.string(), remedy: Remedy.optional() }),
]);
export type ControlResponse = z.infer<typeof ControlResponse>;

/**
 * Checks a request value against the protocol. zod drops a `__proto__` member of a record
 * silently, so forbidden keys are looked for first and refuse the whole request.
 */
export function checkControlRequest(raw: unknown): ControlRequest | string {
  const key = findForbiddenKey(raw);
  if (key !== null) return forbiddenKeyRefusal(key);
  const parsed = ControlRequest.safeParse(raw);
  if (!parsed.success) return `request refused: ${describeZodError(parsed.error)}`;
  return parsed.data;
}

/** Reads one request line; a string is the one-line reason it was refused. */
export function parseControlRequest(line: string): ControlRequest | string {
  try {
    return checkControlRequest(parseJsonWithoutPrototypeKeys(line));
  } catch (error) {
    return error instanceof ForbiddenKey
      ? forbiddenKeyRefusal(error.message)
      : 'request is not JSON';
  }
}

/** Reads one reply line; an unreadable or ill-formed reply becomes an error reply. */
export function parseControlResponse(line: string): ControlResponse {
  try {
    const parsed = ControlResponse.safeParse(parseJsonWithoutPrototypeKeys(line));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  return { ok: false, error: 'the daemon sent an unreadable reply' };
}
