import { describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../../specs/checkpoint-codec.js';
import { convertTmuxResurrect } from '../../../specs/import-tmux-resurrect.js';
import { SAVE } from '../../support/resurrect-save.js';

const options = {
  workspaceId: 'ws',
  host: 'h',
  generation: 0,
  createdAt: '2026-11-24T10:00:00.000Z',
  shell: '/bin/bash',
};

describe('import tmux-resurrect', () => {
  it('keeps every session with its windows and panes, and the program of each pane', () => {
    const parsed = convertTmuxResurrect(SAVE, options);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(
      parsed.draft.sessions.map((s) => [
        s.sessionId,
        s.sessionName,
        s.workingDirectory,
        s.shellCommand,
        s.windows?.map((w) => [w.index, w.name, w.active, w.panes.map((p) => p.program ?? null)]),
      ]),
    ).toEqual([
      ['s2', 'helios-s2', '/srv', ['/bin/bash'], [[0, '', true, [['node']]]]],
      [
        'work',
        'work',
        '/home/me/proj',
        ['/bin/bash'],
        [
          [0, 'bash', true, [null]],
          [1, '', false, [['vim']]],
        ],
      ],
    ]);
    // The window line's "layout" is not one tmux wrote: said, with its line number.
    expect(parsed.warnings).toEqual(['line 4: window work:0 has no usable layout ("layout")']);
  });

  it('reads a cwd as the plugin restores it, keeps names tmux keeps, and the full command', () => {
    const lines = [
      'pane\tmy project\t0\t1\t:*Z\t0\tvm\t:/home/dev/my\\ project/sub dir\t1\tless\t:less -R my log',
      'window\tmy project\t0\t:build\t1\t:*Z\t5853,160x45,0,0,1\toff',
    ].join('\n');
    const parsed = convertTmuxResurrect(lines, options);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.draft.sessions[0]).toMatchObject({
      sessionName: 'my project',
      workingDirectory: '/home/dev/my project/sub dir',
      windows: [
        {
          name: 'build',
          zoomed: true,
          automaticRename: false,
          layout: '5853,160x45,0,0,1',
          panes: [{ title: 'vm', program: ['less', '-R', 'my', 'log'] }],
        },
      ],
    });
    expect(parsed.warnings).toEqual([]);
  });

  it('cleans control characters out of window names and titles, so the document seals', () => {
    const lines = [
      'pane\ts\t0\t1\t:*\t0\tti\u0007tle\t:/x\t1\tbash\t:',
      'window\ts\t0\t:na\u001bme\t1\t:*\tc000,80x24,0,0,1\toff',
    ].join('\n');
    const parsed = convertTmuxResurrect(lines, options);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.draft.sessions[0]?.windows?.[0]).toMatchObject({
      name: 'name',
      panes: [{ title: 'title' }],
    });
    expect(() => sealCheckpoint(parsed.draft)).not.toThrow();
  });

  it('recognises the format without a title by where the directory is', () => {
    const parsed = convertTmuxResurrect('pane\ts\t0\t1\t:*\t0\t:/x\t1\ttop\t:top -d 1', options);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.draft.sessions[0]?.windows?.[0]?.panes[0]).toEqual({
      index: 0,
      workingDirectory: '/x',
      active: true,
      program: ['top', '-d', '1'],
      scrollback: '',
    });
  });

  it('renames what tmux would rewrite, skips what cannot be kept, and names every line', () => {
    const lines = [
      'pane\ta.b\t0\t1\t:*\t0\tt\t:/x\t1\tbash',
      'pane\ta-b\t0\t1\t:*\t0\tt\t:/y\t1\tbash',
      'pane\t\u270e\t0\t1\t:*\t0\tt\t:/z\t1\tbash',
      'pane\tnul\t0\t1\t:*\t0\tt\t:/bad\u0000dir\t1\tbash',
      'garbage line',
    ].join('\n');
    const parsed = convertTmuxResurrect(lines, options);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.draft.sessions.map((s) => [s.sessionName, s.workingDirectory])).toEqual([
      ['a-b', '/y'],
      ['a-b-2', '/x'],
      ['\u270e', '/z'],
    ]);
    expect(parsed.skipped).toBe(1);
    expect(parsed.warnings).toEqual([
      'line 4: session "nul" skipped: its directory holds a NUL byte',
      'line 5: not a pane, window or state line: ignored',
      'session "a.b" is imported as a-b-2: tmux would rewrite its name',
    ]);
  });

  it('names the line of a malformed file', () => {
    expect(convertTmuxResurrect('pane\tonly\tthree', options)).toEqual({
      ok: false,
      reason: 'line 1: a pane line needs its :directory in field 7 (8 with a title)',
    });
    expect(
      convertTmuxResurrect('pane\ts\t0\t1\t:*\t0\tt\t:relative\t1\tbash', options),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^line 1: .*not an absolute path/),
    });
    expect(convertTmuxResurrect('hello', options)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not a tmux-resurrect save file/),
    });
  });
});
