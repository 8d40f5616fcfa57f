import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { loadNewestCheckpoint } from '../../store/checkpoint-store.js';
import type { ControlRequest, ControlResponse } from '../../specs/control-protocol.js';
import { userShell } from '../../specs/shell-quoting.js';
import { applyPlanned, type ReconcileResult } from '../reconcile.js';
import { refreshCheckpoint, type SessionDraft } from './refresh-checkpoint.js';
import type { WorkspaceConfig } from '../workspace-config.js';
import { sessionKey, staleSessionKey } from '../../specs/resource-keys.js';

export interface ControlDeps {
  /** Resolves when recovery reached LIVE: requests wait for it, and are then applied in order. */
  readonly live: Promise<void>;
  /** Runs one unit of work at a time, in arrival order (shared with the reconcile loop). */
  readonly serial: <T>(fn: () => Promise<T>) => Promise<T>;
  /** One reconcile pass; `scanOrphans` adds the /proc orphan scan to it. */
  readonly pass: (options: { scanOrphans: boolean }) => Promise<ReconcileResult | null>;
}

const fail = (error: string): ControlResponse => ({ ok: false, error });

/**
 * Applies control requests. `open` adds a session to the desired state and waits for the pass
 * that creates it; `close` removes it from the desired state and kills its session (closed on
 * purpose by its owner: never resurrected); `list` shows the desired sessions.
 */
export function createControlHandler(config: WorkspaceConfig, deps: ControlDeps) {
  return async (request: ControlRequest): Promise<ControlResponse> => {
    await deps.live;
    return deps.serial(async () => {
      const loaded = await loadNewestCheckpoint(config.stateDir);
      if (!loaded.ok) return fail(loaded.reason);
      const desired = loaded.desired;
      if (request.op === 'list') {
        return {
          ok: true,
          result: desired.sessions.map((s) => ({
            sessionId: s.sessionId,
            sessionName: s.sessionName,
            cwd: s.workingDirectory,
            laneId: s.laneId,
          })),
        };
      }
      if (request.op === 'close') {
        const session = desired.sessions.find((s) => s.sessionId === request.sessionId);
        if (!session)
          return fail(`no session ${request.sessionId} in workspace ${config.workspaceId}`);
        const written = await refreshCheckpoint(config, desired, {
          remove: [session.sessionId],
          refreshLive: false,
        });
        if (!written.ok) return fail(written.reason);
        // Closed on purpose by its owner: the one prune that needs no --prune.
        const backend = config.backend === 'auto' ? session.multiplexer : config.backend;
        const [closed] = await applyPlanned(
          config,
          {
            actions: [
              {
                kind: 'terminate',
                key: staleSessionKey(backend, session.sessionName),
                wave: 4,
                reason: 'stale_session_owned',
                target: { type: 'session', backend, name: session.sessionName },
              },
            ],
            blocked: [],
          },
          { incarnation: 'close' },
        );
        // What the closed session leaves behind is looked for at once.
        await deps.pass({ scanOrphans: true });
        if (closed?.status === 'failed')
          return fail(`session ${session.sessionId} left the checkpoint but ${closed.message}`);
        return {
          ok: true,
          result: { sessionId: session.sessionId, sessionName: session.sessionName, closed: true },
        };
      }
      const cwd = request.cwd;
      const isDir =
        isAbsolute(cwd) &&
        (await stat(cwd).then(
          (info) => info.isDirectory(),
          () => false,
        ));
      if (!isDir) return fail(`--cwd ${cwd} is not an existing absolute directory`);
      const lane = request.lane ?? null;
      if (lane !== null && !desired.lanes.some((l) => l.laneId === lane))
        return fail(`no lane ${lane} in workspace ${config.workspaceId}`);
      const id = `s-${randomBytes(3).toString('hex')}`;
      const draft: SessionDraft = {
        sessionId: id,
        terminalId: id,
        laneId: lane,
        multiplexer: config.backend === 'zellij' ? 'zellij' : 'tmux',
        sessionName: `helios-${id}`,
        workingDirectory: cwd,
        environment: { ...(request.env ?? {}) },
        shellCommand: [userShell(config.env)],
        scrollback: '',
      };
      const written = await refreshCheckpoint(config, desired, {
        add: [draft],
        refreshLive: false,
      });
      if (!written.ok) return fail(written.reason);
      // Creating the session needs no orphan scan (the loop's next scan comes within a few passes).
      const result = await deps.pass({ scanOrphans: false });
      const outcome = result?.outcomes.find((o) => o.key === sessionKey(id));
      if (outcome?.status !== 'succeeded')
        return fail(
          `session ${id} was added but not started: ${outcome?.message ?? 'no pass ran'}`,
        );
      return { ok: true, result: { sessionId: id, sessionName: draft.sessionName, cwd } };
    });
  };
}
