import type { ActualState, MuxSession } from '../../specs/actual-state.js';
import type { LaneEntrySpec, SessionEntrySpec } from '../../specs/checkpoint-spec.js';
import type { DesiredState } from '../../specs/desired-state.js';

/** Object-literal builders for pure tests; checksums are placeholders (the diff never reads them). */
const FAKE_CHECKSUM = `sha256:${'0'.repeat(64)}`;

export function aSession(
  overrides: Partial<SessionEntrySpec> & { sessionId: string },
): SessionEntrySpec {
  return {
    terminalId: `t-${overrides.sessionId}`,
    laneId: null,
    multiplexer: 'tmux',
    sessionName: `helios-${overrides.sessionId}`,
    workingDirectory: `/work/${overrides.sessionId}`,
    environment: {},
    shellCommand: ['/bin/bash'],
    scrollback: '',
    checksum: FAKE_CHECKSUM,
    ...overrides,
  };
}

/** A zellij session entry of the given windows, for the layout tests. */
export const aZellijSession = (windows: SessionEntrySpec['windows']): SessionEntrySpec =>
  aSession({
    sessionId: 's1',
    multiplexer: 'zellij',
    workingDirectory: '/w',
    shellCommand: ['/bin/sh'],
    windows,
  });

export function aLane(overrides: Partial<LaneEntrySpec> & { laneId: string }): LaneEntrySpec {
  return {
    repository: '/repo',
    worktreePath: `/repo/.helios-worktrees/${overrides.laneId}`,
    branch: `helios/lane/${overrides.laneId}`,
    checksum: FAKE_CHECKSUM,
    ...overrides,
  };
}

export function aDesiredState(overrides: Partial<DesiredState> = {}): DesiredState {
  return {
    workspaceId: 'ws',
    generation: 1,
    createdAt: '2026-11-23T10:00:00.000Z',
    host: 'devbox',
    sessions: [],
    lanes: [],
    shareWorkers: [],
    corrupt: [],
    warnings: [],
    ...overrides,
  };
}

export function aLiveSession(overrides: Partial<MuxSession> & { name: string }): MuxSession {
  return {
    backend: 'tmux',
    state: 'live',
    workspaceId: null,
    sessionId: null,
    incarnation: null,
    panePid: null,
    cwd: null,
    ...overrides,
  };
}

export function anActualState(overrides: Partial<ActualState> = {}): ActualState {
  return {
    sessions: { tmux: { status: 'ok', items: [] } },
    repositories: {},
    laneBindings: { status: 'ok', items: [] },
    missingPaths: [],
    tempFiles: { status: 'ok', items: [] },
    ...overrides,
  };
}
