import { readProcess, readProcessSync, readProcessUidSync } from '../clients/proc-table.js';
import type { LedgerEntry } from '../specs/ledger.js';
import { readBootId, recordLedgerEntry } from '../store/ledger-file.js';
import type { WorkspaceConfig } from './workspace-config.js';

/** A process the host app started and hands to helios-recover's care. */
export interface StartedProcess {
  readonly pid: number;
  /** `share-worker`: a worker the desired state lists by `shareId`; `shell`: a pane's program. */
  readonly role: 'shell' | 'share-worker';
  readonly shareId?: string | undefined;
  readonly sessionId?: string | undefined;
  readonly pane?: string | undefined;
  /** The share worker's host, whose end makes it an orphan: this process unless named. */
  readonly hostPid?: number | undefined;
}

/** A share worker's host (the registering process unless named), by pid and start time. */
function hostIdentity(pid = process.pid): { pid: number; startTime: number } {
  const host = readProcessSync(pid);
  if (!host) throw new Error(`host pid ${pid} is not running: nothing registered`);
  return { pid: host.pid, startTime: host.startTime };
}

/**
 * Records a process the host app started in this workspace instance's ledger: from then on it
 * is proven ours (pid, start time and argv, read from /proc now), and once it is an orphan (a
 * share worker: its host, the registering process, is gone and the desired state no longer
 * lists it) it may be ended.
 * Markers in its environment prove nothing (every child inherits them): a host app that wants
 * its workers cleaned up after a crash registers each one here, right after starting it.
 * Throws, with a one-line reason, for a pid that is gone or belongs to another user.
 */
export async function registerStartedProcess(
  config: WorkspaceConfig,
  started: StartedProcess,
): Promise<LedgerEntry> {
  if (started.role === 'share-worker' && !started.shareId)
    throw new Error(`pid ${started.pid}: a share worker is registered with its shareId`);
  const info = await readProcess(started.pid);
  const bootId = readBootId();
  if (!info) throw new Error(`pid ${started.pid} is not running: nothing to register`);
  if (bootId === null) throw new Error('cannot read the boot id (/proc): nothing registered');
  const uid = process.getuid?.() ?? 0;
  if (readProcessUidSync(started.pid) !== uid)
    throw new Error(`pid ${started.pid} belongs to another user: never registered`);
  const entry: LedgerEntry = {
    v: 1,
    pid: info.pid,
    startTime: info.startTime,
    pgid: info.pgid,
    sid: info.sid,
    bootId,
    workspaceId: config.workspaceId,
    instanceId: config.instanceId,
    sessionId: started.sessionId ?? null,
    pane: started.pane ?? null,
    role: started.role,
    argv: info.argv.length > 0 ? [...info.argv] : ['?'],
    shareId: started.shareId ?? null,
    // Its host is the caller: once the caller is gone, the worker is an orphan.
    host: started.role === 'share-worker' ? hostIdentity(started.hostPid) : null,
  };
  await recordLedgerEntry(config.stateDir, entry);
  return entry;
}
