import { describe, expect, it } from 'vitest';
import { repairCommands } from '../../../clients/tmux-repair.js';
import { windowCommands } from '../../../clients/tmux-windows.js';
import type { SessionEntrySpec } from '../../../specs/checkpoint-spec.js';
import { lostZellijPanes, missingPanes } from '../../../diff/missing-panes.js';
import { isNameTaken } from '../../../diff/plan-review-items.js';
import type { MuxSession } from '../../../specs/actual-state.js';

const pane = (index: number, cwd: string, active = false) => ({
  index,
  workingDirectory: cwd,
  active,
  scrollback: '',
});
const session: SessionEntrySpec = {
  sessionId: 's',
  terminalId: 's',
  laneId: null,
  multiplexer: 'tmux',
  sessionName: 'my #1',
  workingDirectory: '/a',
  environment: {},
  shellCommand: ['bash'],
  scrollback: '',
  windows: [
    {
      index: 1,
      name: 'ed#{pid}',
      layout: '5853,160x45,0,0{80x45,0,0,0,79x45,81,0,1}',
      active: false,
      last: true,
      zoomed: true,
      panes: [pane(0, '/a'), pane(1, '/a/b#c', true)],
    },
    {
      index: 4,
      name: 'logs',
      automaticRename: true,
      active: true,
      zoomed: false,
      panes: [pane(0, '/l')],
    },
  ],
  checksum: `sha256:${'0'.repeat(64)}`,
};
const launcher = (w: number, p: number) => ({
  windowIndex: w,
  paneIndex: p,
  command: ['/bin/sh', `/l/${w}.${p}.sh`],
});

describe('tmux windows and panes from a checkpoint', () => {
  it('makes the rest of a session after new-session: exact targets, literal names, layout, zoom, focus', () => {
    const commands = windowCommands(
      session,
      [launcher(1, 1), launcher(4, 0)],
      [{ windowIndex: 1, paneIndex: 0, argv: ['vim', 'a b.go'] }],
      { window: 0, pane: 0 },
      () => ({ K: 'v' }),
    );
    expect(commands).toEqual([
      ['move-window', '-d', '-s', '=my #1:0', '-t', '=my #1:1'],
      [
        'split-window',
        '-d',
        '-t',
        '=my #1:1.0',
        '-c',
        '/a/b##c',
        '-e',
        'K=v',
        '--',
        '/bin/sh',
        '/l/1.1.sh',
      ],
      ['rename-window', '-t', '=my #1:1', 'ed##{pid}'],
      ['select-layout', '-t', '=my #1:1', '5853,160x45,0,0{80x45,0,0,0,79x45,81,0,1}'],
      ['send-keys', '-t', '=my #1:1.0', '-l', '--', "vim 'a b.go'"],
      ['send-keys', '-t', '=my #1:1.0', 'Enter'],
      ['select-pane', '-t', '=my #1:1.1'],
      ['resize-pane', '-Z', '-t', '=my #1:1.1'],
      // A window tmux names itself gets no -n.
      ['new-window', '-d', '-t', '=my #1:4', '-c', '/l', '-e', 'K=v', '--', '/bin/sh', '/l/4.0.sh'],
      ['select-window', '-t', '=my #1:1'],
      ['select-window', '-t', '=my #1:4'],
    ]);
  });

  it('adds only what a survivor lacks: a whole window with its layout, a pane split off the last', () => {
    const live = (windows: { index: number; panes: number }[]) =>
      ({ windows }) as unknown as MuxSession;
    expect(
      missingPanes(
        session,
        live([
          { index: 1, panes: 2 },
          { index: 4, panes: 1 },
        ]),
      ),
    ).toEqual([]);
    expect(
      missingPanes(
        session,
        live([
          { index: 1, panes: 1 },
          { index: 9, panes: 3 },
        ]),
      ),
    ).toEqual([
      { windowIndex: 1, paneIndex: 1 },
      { windowIndex: 4, paneIndex: 0 },
    ]);
    expect(missingPanes({ ...session, windows: undefined }, live([]))).toEqual([]);
    expect(missingPanes(session, {} as MuxSession)).toEqual([]);
    // zellij: the saved panes whose marker no pane process carries any more.
    const markers = (paneMarkers: string[]) => ({ paneMarkers }) as unknown as MuxSession;
    expect(lostZellijPanes(session, markers(['1.0', '1.1', '4.0', '9.9']))).toEqual([]);
    expect(lostZellijPanes(session, markers(['1.1']))).toEqual(['1.0', '4.0']);
    expect(lostZellijPanes(session, {} as MuxSession)).toEqual([]);
    expect(lostZellijPanes(session, markers([]))).toEqual([]);
    // An untagged look-alike is taken only when it runs in none of the saved cwds (tmux lists
    // the cwd of its active pane).
    const untagged = (cwd: string) => ({ workspaceId: null, cwd }) as unknown as MuxSession;
    expect(isNameTaken(untagged('/a/b#c'), session)).toBe(false);
    expect(isNameTaken(untagged('/elsewhere'), session)).toBe(true);
    const commands = repairCommands(
      { session, panes: [launcher(1, 1), launcher(4, 0)], programs: [], live: new Map([[1, 1]]) },
      { window: 0, pane: 0 },
      () => ({}),
    );
    expect(commands).toEqual([
      ['split-window', '-d', '-t', '=my #1:1.0', '-c', '/a/b##c', '--', '/bin/sh', '/l/1.1.sh'],
      ['new-window', '-d', '-t', '=my #1:4', '-c', '/l', '--', '/bin/sh', '/l/4.0.sh'],
    ]);
  });
});

describe('list-panes output', () => {
  it('reads every field, names and paths with tabs and newlines included; a torn record names its session', async () => {
    const { parseTmuxPanes } = await import('../../../clients/capture-tmux-panes.js');
    const S = '\x1f';
    const record = (session: string, cwd: string) =>
      [
        session,
        '0',
        '1',
        '0',
        '1',
        'c000,80x24,0,0,1',
        '0',
        '2',
        '1',
        '%7',
        '42',
        '1',
        '3',
        'w\tname',
        'title',
        cwd,
      ].join(S) + `${S}END\n`;
    const parsed = parseTmuxPanes(record('my project', '/a\nb') + `torn${S}0${S}END\n`, 'END');
    expect(parsed.unreadable).toEqual(new Set(['torn']));
    expect(parsed.panes).toEqual([
      {
        session: 'my project',
        window: {
          index: 0,
          name: 'wname', // control characters are not kept in names
          automaticRename: false,
          layout: 'c000,80x24,0,0,1',
          active: true,
          last: false,
          zoomed: true,
        },
        pane: { index: 2, workingDirectory: '/a\nb', active: true, title: 'title' },
        paneId: '%7',
        pid: 42,
        alternate: true,
        history: true,
      },
    ]);
  });
});
