import { planRecovery } from '../diff/plan-recovery.js';
import type { ActualState, MuxSession } from '../specs/actual-state.js';
import type { SessionEntrySpec } from '../specs/checkpoint-spec.js';
import type { DesiredState } from '../specs/desired-state.js';
import { median, round, timeIt } from './measure.js';

/** In-process `planRecovery` for N sessions: a third survived, a third crashed, a third bound. */
export async function benchPlan(n: number, runs: number) {
  const sessions: SessionEntrySpec[] = Array.from({ length: n }, (_, i) => ({
    sessionId: `s${i}`,
    terminalId: `t${i}`,
    laneId: null,
    multiplexer: 'tmux',
    sessionName: `helios-s${i}`,
    workingDirectory: `/work/${i}`,
    environment: {},
    shellCommand: ['/bin/sh'],
    scrollback: '',
    checksum: `sha256:${'0'.repeat(64)}`,
  }));
  const live: MuxSession[] = sessions
    .filter((_, i) => i % 3 !== 0)
    .map((s, i) => ({
      backend: 'tmux',
      name: s.sessionName,
      state: 'live',
      workspaceId: 'ws',
      sessionId: s.sessionId,
      incarnation: i % 2 ? 'inc' : 'old',
      panePid: 1000 + i,
      cwd: s.workingDirectory,
    }));
  const desired: DesiredState = {
    workspaceId: 'ws',
    generation: 1,
    createdAt: '',
    host: '',
    sessions,
    lanes: [],
    shareWorkers: [],
    corrupt: [],
    warnings: [],
  };
  const actual: ActualState = {
    sessions: { tmux: { status: 'ok', items: live } },
    repositories: {},
    laneBindings: { status: 'ok', items: [] },
    missingPaths: [],
    tempFiles: { status: 'ok', items: [] },
  };
  planRecovery(desired, actual, { incarnation: 'inc', instanceId: 'i-bench' }); // warm-up
  const times: number[] = [];
  let actions = 0;
  for (let i = 0; i < runs; i += 1)
    times.push(
      await timeIt(
        () =>
          (actions = planRecovery(desired, actual, { incarnation: 'inc', instanceId: 'i-bench' })
            .actions.length),
      ),
    );
  return { sessions: n, medianMs: round(median(times)), actions, runs };
}
