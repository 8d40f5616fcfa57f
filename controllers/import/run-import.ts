import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { type CheckpointDraft, sealCheckpoint } from '../../specs/checkpoint-codec.js';
import type { Multiplexer } from '../../specs/checkpoint-spec.js';
import { convertTmuxResurrect } from '../../specs/import-tmux-resurrect.js';
import {
  allowEnvRemedy,
  oversizedWarnings,
  type Withheld,
  withheldSummary,
} from '../../specs/capture-policy.js';
import type { Remedy } from '../../specs/remedies.js';
import { userShell } from '../../specs/shell-quoting.js';
import { shapeOfSessions } from '../../specs/session-windows.js';
import { writeFileAtomic } from '../../store/atomic-file.js';
import {
  loadNewestCheckpoint,
  nextGeneration,
  writeCheckpoint,
} from '../../store/checkpoint-store.js';
import { convertHeliosV1File } from './load-helios-v1.js';
import { withholdFromDrafts } from '../checkpoint/withhold-secrets.js';
import { readPaneContents } from './read-pane-contents.js';
import type { WorkspaceConfig } from '../workspace-config.js';

const IMPORT_FORMATS = ['tmux-resurrect', 'helios-v1'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportRequest {
  readonly format: ImportFormat;
  /** The file's text and its name (for messages). */
  readonly text: string;
  readonly source: string;
  /** Write the document here instead of the state dir. */
  readonly out?: string | undefined;
  /** Replace a checkpoint whose sessions the file lacks; import a tampered heliosApp file. */
  readonly force?: boolean | undefined;
  /** Replace a checkpoint whose sessions the file lacks (a tampered file stays refused). */
  readonly replaceSessions?: boolean | undefined;
  /** heliosApp's `checkpoint.json.backup` beside the file, read when the file's checksum fails. */
  readonly backup?: { readonly text: string; readonly source: string } | undefined;
  /** The multiplexer a heliosApp file's sessions run on (default zellij, as in the app). */
  readonly multiplexer?: Multiplexer | undefined;
}

export type ImportResult =
  | {
      readonly ok: true;
      readonly file: string;
      readonly sessions: number;
      /** What the document holds: windows, panes, and panes with a program to start again. */
      readonly windows: number;
      readonly panes: number;
      readonly programs: number;
      readonly generation: number;
      /** Some sessions were left out (each named in the warnings). */
      readonly partial: boolean;
      readonly warnings: readonly string[];
      /** How to keep the secret variables withheld after all (absent: none was). */
      readonly remedy?: Remedy | undefined;
    }
  | { readonly ok: false; readonly reason: string; readonly remedy?: Remedy | undefined };

export type Converted =
  | {
      ok: true;
      draft: CheckpointDraft;
      warnings: readonly string[];
      partial: boolean;
      withheld: Withheld;
    }
  | { ok: false; reason: string; remedy?: Remedy };

/** What an import kept out of the state dir, as warning lines. */
export function withheldWarnings(withheld: Withheld): string[] {
  const summary = withheldSummary(withheld);
  return [...(summary ? [summary] : []), ...oversizedWarnings(withheld)];
}

async function convert(
  config: WorkspaceConfig,
  request: ImportRequest,
  common: { workspaceId: string; host: string; generation: number },
): Promise<Converted> {
  const { source, text } = request;
  if (request.format === 'tmux-resurrect') {
    // The plugin keeps pane contents (when its capture is on) beside the save file.
    const archive = join(dirname(source), 'pane_contents.tar.gz');
    const contents = await readPaneContents(archive);
    const parsed = convertTmuxResurrect(text, {
      ...common,
      createdAt: new Date().toISOString(),
      shell: userShell(config.env),
      paneContents: new Map(contents.panes),
    });
    if (!parsed.ok) return parsed;
    // Its panes (contents, programs, titles) are under the secrets policy as a checkpoint's.
    const { items, withheld } = withholdFromDrafts(parsed.draft.sessions, config);
    const draft = { ...parsed.draft, sessions: items };
    const replayed = draft.sessions
      .flatMap((session) => (session.windows ?? []).flatMap((window) => window.panes))
      .filter((pane) => pane.scrollback.length > 0).length;
    return {
      ...parsed,
      draft,
      withheld,
      partial: parsed.skipped > 0,
      warnings: [
        ...parsed.warnings,
        ...(contents.problem ? [`pane contents not imported: ${contents.problem}`] : []),
        ...withheldWarnings(withheld),
        ...(replayed > 0
          ? [
              `the scrollback of ${replayed} ${replayed === 1 ? 'pane' : 'panes'} comes from ${archive}`,
            ]
          : []),
      ],
    };
  }
  return convertHeliosV1File(config, request, common);
}

/** Sessions of the current checkpoint that `kept` lacks: what an import would drop. */
async function droppedSessions(stateDir: string, kept: Set<string>): Promise<string[]> {
  const previous = await loadNewestCheckpoint(stateDir);
  if (!previous.ok) return [];
  return previous.desired.sessions
    .filter((session) => !kept.has(session.sessionId))
    .map((session) => session.sessionName);
}

/**
 * Converts another tool's save file into the next desired state and writes it (the state dir's
 * next generation, or `out`). Refuses, with a one-line reason naming the file's problem, a file
 * that does not convert, and a replacement that would drop sessions of the current checkpoint
 * unless `force`.
 */
export async function runImport(
  config: WorkspaceConfig,
  request: ImportRequest,
): Promise<ImportResult> {
  const fail = (reason: string, remedy?: Remedy): ImportResult => ({
    ok: false,
    reason: `${request.source}: ${reason}`,
    remedy,
  });
  const converted = await convert(config, request, {
    workspaceId: config.workspaceId,
    host: hostname(),
    generation: await nextGeneration(config.stateDir),
  });
  if (!converted.ok) return fail(converted.reason, converted.remedy);
  let document;
  try {
    document = sealCheckpoint(converted.draft);
  } catch (error) {
    return fail(`the converted document is invalid: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!request.out && !request.force && !request.replaceSessions) {
    const dropped = await droppedSessions(
      config.stateDir,
      new Set(document.sessions.map((session) => session.sessionId)),
    );
    if (dropped.length > 0)
      return fail(
        `importing would drop ${dropped.length} ${dropped.length === 1 ? 'session' : 'sessions'} of the current checkpoint (${dropped
          .slice(0, 5)
          .join(', ')}${dropped.length > 5 ? ', ...' : ''}): refused`,
        { code: 'force_import', format: request.format, source: request.source, elsewhere: true },
      );
  }
  const file = request.out ?? `${config.stateDir}/checkpoint.json`;
  if (request.out) await writeFileAtomic(request.out, `${JSON.stringify(document, null, 2)}\n`);
  else await writeCheckpoint(config.stateDir, document);
  return {
    ok: true,
    file,
    sessions: document.sessions.length,
    ...shapeOfSessions(document.sessions),
    generation: document.generation,
    partial: converted.partial,
    warnings: converted.warnings,
    remedy: allowEnvRemedy(converted.withheld),
  };
}
