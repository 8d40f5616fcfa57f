import type { z } from 'zod';
import { describeZodError } from '../specs/checkpoint-codec.js';
import { readBoundedFile, RefusedFileError } from './bounded-read.js';

/** The small state files are far below this; anything larger is not ours. */
const MAX_STATE_FILE_BYTES = 4 * 1024 * 1024;

/** A state file read through its schema: missing, not what the schema says (why), or its value. */
export type JsonFileRead<T> =
  | { readonly status: 'missing' }
  | { readonly status: 'invalid'; readonly reason: string }
  | { readonly status: 'ok'; readonly value: T };

/**
 * Reads a JSON state file through `schema`, bounded and without following a symlink: a torn,
 * foreign or hand-edited file is `invalid` with a one-line reason, never trusted as its type.
 * Errors other than a missing file (EACCES, EIO) are `invalid` too, with their code.
 */
export async function readJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
): Promise<JsonFileRead<z.infer<S>>> {
  let text: string;
  try {
    text = await readBoundedFile(path, { maxBytes: MAX_STATE_FILE_BYTES, noFollow: true });
  } catch (error) {
    if (error instanceof RefusedFileError) return { status: 'invalid', reason: error.message };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'missing' };
    return { status: 'invalid', reason: `cannot be read (${code ?? (error as Error).message})` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { status: 'invalid', reason: 'not JSON' };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { status: 'invalid', reason: describeZodError(parsed.error) };
  return { status: 'ok', value: parsed.data };
}

/** The value of a read, or null when the file is missing or invalid. */
export const valueOrNull = <T>(read: JsonFileRead<T>): T | null =>
  read.status === 'ok' ? read.value : null;
