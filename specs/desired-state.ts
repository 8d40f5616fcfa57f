import type { LaneEntrySpec, SessionEntrySpec, ShareWorkerEntrySpec } from './checkpoint-spec.js';

export type EntryKind = 'session' | 'lane' | 'shareWorker';

/** An entry of the document that failed its schema or checksum: it fails alone. */
export interface CorruptEntry {
  /** Pairing key, e.g. `session:s3`, or `session:#4` when even the id is unreadable. */
  readonly key: string;
  readonly kind: EntryKind;
  /** The entry's id when it could still be read, else null. */
  readonly id: string | null;
  readonly index: number;
  /** One line: what was wrong (checksum mismatch, missing field ...). */
  readonly detail: string;
}

/** The verified desired state: what the checkpoint says the workspace should be. */
export interface DesiredState {
  readonly workspaceId: string;
  readonly generation: number;
  readonly createdAt: string;
  readonly host: string;
  readonly sessions: readonly SessionEntrySpec[];
  readonly lanes: readonly LaneEntrySpec[];
  readonly shareWorkers: readonly ShareWorkerEntrySpec[];
  readonly corrupt: readonly CorruptEntry[];
  /** Non-fatal findings, e.g. a top-level checksum mismatch with verified entries. */
  readonly warnings: readonly string[];
}
