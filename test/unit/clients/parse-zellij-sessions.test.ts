import { describe, expect, it } from 'vitest';
import {
  isNoZellijSessions,
  parseZellijSessions,
  zellijSocketDir,
} from '../../../clients/parse-zellij-sessions.js';
import { parseWorktreePorcelain } from '../../../observers/observe-worktrees.js';
import { parseTmuxSessions } from '../../../clients/observe-tmux-sessions.js';
import { findPaneProcess, findZellijServer } from '../../../clients/zellij-target.js';
import { parseProcStat } from '../../../clients/proc-table.js';

describe('zellij list-sessions -n parsing', () => {
  it('reads live, current and EXITED sessions, oldest first, with colour codes stripped', () => {
    const stdout = [
      'helios-a [Created 2h 5m 3s ago] ',
      '\u001b[32;1mhelios-b\u001b[0m [Created \u001b[35;1m10s\u001b[0m ago] (current)',
      'helios-c [Created 1days 2h 0m 1s ago] (EXITED - attach to resurrect)',
      'helios-d [Created 3s ago] (EXITED - attach to resurrect) (current)',
      'garbage line',
    ].join('\n');
    expect(parseZellijSessions(stdout)).toEqual([
      { name: 'helios-a', state: 'live', current: false, created: '2h 5m 3s' },
      { name: 'helios-b', state: 'live', current: true, created: '10s' },
      { name: 'helios-c', state: 'exited', current: false, created: '1days 2h 0m 1s' },
      { name: 'helios-d', state: 'live', current: true, created: '3s' },
    ]);
    expect(isNoZellijSessions('No active zellij sessions found.\n')).toBe(true);
    expect(isNoZellijSessions('error: could not connect')).toBe(false);
  });

  it('finds the socket dir and the server and pane of a session', () => {
    expect(zellijSocketDir({ ZELLIJ_SOCKET_DIR: '/s' }, 0)).toBe('/s');
    expect(zellijSocketDir({ XDG_RUNTIME_DIR: '/run/user/1' }, 1)).toBe('/run/user/1/zellij');
    expect(zellijSocketDir({}, 7)).toBe('/tmp/zellij-7');
    expect(zellijSocketDir({ TMPDIR: '/var/tmp/' }, 7)).toBe('/var/tmp/zellij-7');
    const processes = [
      {
        pid: 10,
        comm: 'zellij',
        ppid: 1,
        pgid: 10,
        sid: 10,
        startTime: 5,
        argv: ['zellij', '--server', '/s/contract_version_1/helios-a'],
      },
      { pid: 11, comm: 'bash', ppid: 10, pgid: 11, sid: 11, startTime: 7, argv: ['bash'] },
      { pid: 12, comm: 'bash', ppid: 10, pgid: 12, sid: 12, startTime: 6, argv: ['bash'] },
    ];
    const server = findZellijServer(processes, { env: { ZELLIJ_SOCKET_DIR: '/s' } }, 'helios-a')!;
    expect(server.pid).toBe(10);
    expect(
      findZellijServer(processes, { env: { ZELLIJ_SOCKET_DIR: '/s' } }, 'helios-b'),
    ).toBeNull();
    expect(findPaneProcess(processes, server)!.pid).toBe(12);
  });
});

describe('other parsers', () => {
  it('parses git worktree porcelain, tmux list-sessions and /proc stat', () => {
    const porcelain =
      'worktree /r\nHEAD abc\nbranch refs/heads/main\n\nworktree /r/.helios-worktrees/a\nHEAD def\ndetached\nprunable gitdir file points to non-existent location\n\n';
    expect(
      parseWorktreePorcelain(porcelain).map((w) => [w.path, w.branch, w.detached, w.prunable]),
    ).toEqual([
      ['/r', 'main', false, false],
      ['/r/.helios-worktrees/a', null, true, true],
    ]);
    const output =
      's1\tws\tid\tinc\t42\t7\ti-1\t1800000000\t43 42 43 \t0:2 3:1 \t/a\tb\nc\tE\nbare\t\t\t\t\t\t\t\t\t\t\tE\n';
    expect(parseTmuxSessions(output, 'E')).toEqual([
      {
        backend: 'tmux',
        name: 's1',
        state: 'live',
        workspaceId: 'ws',
        instanceId: 'i-1',
        sessionId: 'id',
        incarnation: 'inc',
        panePid: 42,
        serverPid: 7,
        createdAt: 1_800_000_000,
        panes: [
          { pid: 42, startTime: null },
          { pid: 43, startTime: null },
        ],
        windows: [
          { index: 0, panes: 2 },
          { index: 3, panes: 1 },
        ],
        cwd: '/a\tb\nc',
      },
      {
        backend: 'tmux',
        name: 'bare',
        state: 'live',
        workspaceId: null,
        instanceId: null,
        sessionId: null,
        incarnation: null,
        panePid: null,
        serverPid: null,
        createdAt: null,
        panes: [],
        windows: [],
        cwd: null,
      },
    ]);
    const stat = '123 (a (weird) name) S 1 123 123 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 98765 0 0';
    expect(parseProcStat(stat)).toEqual({
      pid: 123,
      comm: 'a (weird) name',
      state: 'S',
      ppid: 1,
      pgid: 123,
      sid: 123,
      tpgid: -1,
      startTime: 98765,
    });
    expect(parseProcStat('garbage')).toBeNull();
  });
});
