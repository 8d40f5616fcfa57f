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
 * Converts a heliosApp v1 checkpoint into a v1 desired-state draft. Every field maps one to one;
 * a string shell command becomes `[command]`; sessions are zellij sessions as in the app.
 */
export function convertHeliosV1(
  source: HeliosV1CheckpointSpec,
  options: { workspaceId: string; host: string; generation: number },
): CheckpointDraft {
  const createdAt = new Date(source.timestamp).toISOString();
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
      shellCommand: Array.isArray(session.shellCommand)
        ? session.shellCommand
        : [session.shellCommand],
      scrollback: session.scrollbackSnapshot,
    })),
    lanes: [],
    shareWorkers: [],
  };
}
