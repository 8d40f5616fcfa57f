import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executeRespawns } from '../../actions/execute-sessions.js';
import { adoptTmuxSessions } from '../../clients/adopt-tmux-sessions.js';
import { configure, runCheckpoint, runRecovery } from '../../controllers/compose.js';
import { sealCheckpoint } from '../../specs/checkpoint-codec.js';
import type { RespawnAction } from '../../specs/plan.js';
import { writeCheckpoint } from '../../store/checkpoint-store.js';
import { aSession } from '../support/builders.js';
import { createSandbox, libraryOptions, type Sandbox } from '../support/sandbox.js';

const SESSIONS = 25;

/**
 * A `tmux` first on the PATH a run is handed: it logs the subcommands of each call (one line per
 * invocation) and execs the real tmux.
 */
function tmuxWrapper(sandbox: Sandbox): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const real = execFileSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).trim();
  const bin = sandbox.dir('wrapper-bin');
  const log = join(sandbox.root, 'tmux-calls.log');
  writeFileSync(log, '');
  writeFileSync(
    join(bin, 'tmux'),
    `#!/bin/sh\nprintf '%s\\n' "$(printf '%s ' "$@" | tr '\\n' ' ')" >> '${log}'\nexec '${real}' "$@"\n`,
  );
  chmodSync(join(bin, 'tmux'), 0o755);
  return {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
}

/** The tmux subcommands of one logged call (`-L <socket>` dropped). */
const subcommands = (call: string) =>
  call
    .replace(/^-[LS] \S+ /, '')
    .split(' ; ')
    .map((command) => command.split(' ')[0]);

/**
 * A respawn run asks tmux as little as it can: the plan was made from a fresh observation, so
 * creating does not list again; the sessions are created in batches (cut by size: 25 sessions
 * make two) and verified with one new listing for all of them (watched in /proc until they
 * settle, listed again only if a pane it showed has gone). Before, create listed first too: 4
 * calls for the executor.
 */
describe('tmux invocations of a 25-session respawn', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(() => sandbox.cleanup());
  /** This sandbox's workspace on tmux, run with the logging tmux first on PATH. */
  const configOf = (wrapper: { env: NodeJS.ProcessEnv }) =>
    configure(libraryOptions(sandbox), wrapper.env);

  const sessions = () =>
    Array.from({ length: SESSIONS }, (_, i) =>
      aSession({
        sessionId: `n${i}`,
        workingDirectory: sandbox.dir('work'),
        shellCommand: ['/bin/sh'],
      }),
    );

  it('the executor: two create batches and one verifying listing, 3 calls', async () => {
    const wrapper = tmuxWrapper(sandbox);
    const config = configOf(wrapper);
    const actions: RespawnAction[] = sessions().map((session) => ({
      key: `session:${session.sessionId}`,
      kind: 'respawn',
      wave: 3,
      reason: 'no_live_session',
      backend: 'tmux',
      session,
      replacesExited: false,
    }));
    const outcomes = await executeRespawns(actions, { ...config, incarnation: 'count' });
    expect(outcomes.map((o) => o.status)).toEqual(Array(SESSIONS).fill('succeeded'));
    const calls = wrapper.calls();
    expect(calls.map((call) => subcommands(call)[0])).toEqual([
      'new-session',
      'new-session',
      'list-sessions',
    ]);
    const created = calls.flatMap((call) => subcommands(call).filter((c) => c === 'new-session'));
    expect(created).toHaveLength(SESSIONS);
  });

  it('a whole recover of 25 missing sessions: 6 calls', async () => {
    const wrapper = tmuxWrapper(sandbox);
    const config = configOf(wrapper);
    await writeCheckpoint(
      sandbox.stateDir,
      sealCheckpoint({
        workspaceId: sandbox.workspaceId,
        generation: 0,
        createdAt: new Date().toISOString(),
        host: 'test',
        sessions: sessions().map(({ checksum: _, ...entry }) => entry),
        lanes: [],
        shareWorkers: [],
      }),
    );
    const report = await runRecovery(config);
    expect(report.stage).toBe('LIVE');
    expect(report.sessions.filter((s) => s.status === 'respawned')).toHaveLength(SESSIONS);
    // The plan's observation, the two batches, verification, RECONCILING's fresh scan, and at
    // LIVE the record of which server now runs them (checkpoint-servers.json).
    expect(wrapper.calls().map((call) => subcommands(call)[0])).toEqual([
      'list-sessions',
      'new-session',
      'new-session',
      'list-sessions',
      'list-sessions',
      'list-sessions',
    ]);
  });

  it('a checkpoint of 120 sessions of 2 panes: a fixed number of calls, and every session tagged', async () => {
    const wrapper = tmuxWrapper(sandbox);
    const work = sandbox.dir('work');
    const name = (i: number) => `a-session-with-a-rather-long-name-${i}`;
    for (let first = 0; first < 120; first += 30) {
      const batch = Array.from({ length: 30 }, (_, k) => first + k).flatMap((i) => [
        ...(i === first ? [] : [';']),
        ...['new-session', '-d', '-s', name(i), '-c', work, '/bin/sh', ';'],
        ...['split-window', '-d', '-t', `=${name(i)}:0.0`, '-c', work, '/bin/sh'],
      ]);
      sandbox.tmux(...batch);
    }
    const config = configOf(wrapper);
    const result = await runCheckpoint(config);
    expect(result.ok && result.warnings).toEqual([]);
    // Sessions, the global env, all panes, scrollback 64 panes a call, tags cut by size: never a
    // call per session.
    const calls = wrapper.calls().map((call) => subcommands(call)[0]);
    expect(calls.length, calls.join('\n')).toBeLessThanOrEqual(3 + 4 + 8);
    expect(calls.filter((c) => c === 'show-environment')).toHaveLength(1);
    const tags = sandbox
      .tmux(
        'list-sessions',
        '-F',
        '#{session_name} #{@helios-workspace} #{@helios-instance} #{@helios-session-id}',
      )
      .trim()
      .split('\n')
      .sort();
    expect(tags).toEqual(
      Array.from({ length: 120 }, (_, i) => name(i))
        .sort()
        .map((n) => `${n} ${sandbox.workspaceId} ${config.instanceId} ${n}`),
    );
    // Saved again, the tags already say so: nothing is set.
    const before = wrapper.calls().length;
    expect((await runCheckpoint(config)).ok).toBe(true);
    const again = wrapper.calls().slice(before).flatMap(subcommands);
    expect(again).not.toContain('set-option');
  });

  it('tags the other batches when one fails (a session closed meanwhile), and says how many', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `helios-adopted-session-number-${i}`);
    for (let first = 0; first < names.length; first += 40)
      sandbox.tmux(
        ...names
          .slice(first, first + 40)
          .flatMap((n, k) => [...(k === 0 ? [] : [';']), 'new-session', '-d', '-s', n, '/bin/sh']),
      );
    const sessions = names.map((n) => ({ name: n, sessionId: n.slice(7) }));
    sessions.splice(1, 0, { name: 'helios-closed-meanwhile', sessionId: 'gone' });
    const owner = { workspaceId: sandbox.workspaceId, instanceId: 'i-adopt' };
    const step = await adoptTmuxSessions(
      { socketName: sandbox.socket, env: process.env },
      10_000,
      owner,
      sessions,
    );
    expect(step.ok).toBe(false);
    expect(!step.ok && step.reason).toMatch(/of 121 may be untagged\)$/);
    const tagged = sandbox
      .tmux('list-sessions', '-F', '#{@helios-workspace}')
      .split('\n')
      .filter((tag) => tag === sandbox.workspaceId);
    // Only the failed batch's sessions after the closed one are untagged.
    expect(tagged.length).toBeGreaterThan(60);
    expect(tagged.length).toBeLessThan(120);
  });
});
