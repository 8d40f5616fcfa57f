import { createHash } from 'node:crypto';
import { parse as parseShellWords } from 'shell-quote';
import { z } from 'zod';
import type { CheckpointDraft } from './checkpoint-codec.js';

/** The heliosApp v1 `Checkpoint` shape (note the app's own spelling `zelijjSessionName`). */
export const HeliosV1CheckpointSpec = z.object({
  version: z.literal(1),
  timestamp: z.union([z.number(), z.string()]),
  checksum: z.string(),
  sessions: z.array(
    z.object({
      sessionId: z.string().min(1),
      terminalId: z.string().min(1),
      laneId: z.string().nullable(),
      workingDirectory: z.string(),
      environmentVariables: z.record(z.string(), z.string()),
      scrollbackSnapshot: z.string(),
      zelijjSessionName: z.string().min(1),
      shellCommand: z.union([z.string(), z.array(z.string())]),
    }),
  ),
});
export type HeliosV1CheckpointSpec = z.infer<typeof HeliosV1CheckpointSpec>;

/**
 * Splits a command line as a POSIX shell splits words (quotes, escapes; `$VAR` kept literally,
 * since nothing here may expand it): `"/bin/bash -l"` is `["/bin/bash", "-l"]`. A line with
 * shell operators, globs or comments is not one command: the reason, as a string.
 */
export function splitShellCommand(line: string): string[] | string {
  const words = parseShellWords(line, (name) => `$${name}`);
  const odd = words.find((word) => typeof word !== 'string');
  if (odd !== undefined)
    return `"${line}" is not a single command (it has ${'op' in odd ? `the shell operator ${String(odd.op)}` : 'a comment'}); write shellCommand as an array`;
  if (words.length === 0) return 'the shell command is empty';
  return words as string[];
}

/** heliosApp's own checksum: lowercase sha256 hex, no prefix, of `JSON.stringify(sessions)`. */
export function heliosV1ChecksumProblem(raw: {
  checksum?: unknown;
  sessions?: unknown;
}): string | null {
  const expected = createHash('sha256').update(JSON.stringify(raw.sessions)).digest('hex');
  return raw.checksum === expected
    ? null
    : `its checksum ${JSON.stringify(raw.checksum)} does not match its sessions (sha256 ${expected})`;
}

/**
 * Converts a heliosApp v1 checkpoint into a v1 desired-state draft. Every field maps one to one;
 * a string shell command is split into words as a shell would; sessions are zellij sessions as
 * in the app. A session whose command cannot be split refuses the import, naming it.
 */
export function convertHeliosV1(
  source: HeliosV1CheckpointSpec,
  options: { workspaceId: string; host: string; generation: number },
): CheckpointDraft {
  const createdAt = new Date(source.timestamp).toISOString();
  const commandOf = (session: HeliosV1CheckpointSpec['sessions'][number]): string[] => {
    if (Array.isArray(session.shellCommand)) return session.shellCommand;
    const words = splitShellCommand(session.shellCommand);
    if (typeof words === 'string') throw new Error(`session ${session.sessionId}: ${words}`);
    return words;
  };
  return {
    workspaceId: options.workspaceId,
    generation: options.generation,
    createdAt,
    host: options.host,
    sessions: source.sessions.map((session) => ({
      sessionId: session.sessionId,
      terminalId: session.terminalId,
      laneId: session.laneId,
      multiplexer: 'zellij' as const,
      sessionName: session.zelijjSessionName,
      workingDirectory: session.workingDirectory,
      environment: session.environmentVariables,
      shellCommand: commandOf(session),
      scrollback: session.scrollbackSnapshot,
    })),
    lanes: [],
    shareWorkers: [],
  };
}
