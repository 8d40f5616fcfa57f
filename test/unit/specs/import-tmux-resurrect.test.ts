import { describe, expect, it } from 'vitest';
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
  it('keeps one session per resurrect session, in the active pane cwd, re-running only shells', () => {
    const parsed = convertTmuxResurrect(SAVE, options);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(
      parsed.draft.sessions.map((s) => [
        s.sessionId,
        s.sessionName,
        s.workingDirectory,
        s.shellCommand,
      ]),
    ).toEqual([
      ['s2', 'helios-s2', '/srv', ['/bin/bash']],
      ['work', 'work', '/home/me/proj', ['/bin/bash']],
    ]);
    expect(parsed.warnings).toEqual(['session helios-s2: "node" is not re-run; its shell is']);
  });

  it('reads a cwd as the plugin restores it (a backslash escapes the next character)', () => {
    const line = 'pane\tmy project\t0\t1\t:*Z\t0\tvm\t:/home/dev/my\\ project/sub dir\t1\tbash\t:';
    const parsed = convertTmuxResurrect(line, options);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.draft.sessions[0]).toMatchObject({
      sessionName: 'my-project',
      workingDirectory: '/home/dev/my project/sub dir',
    });
    expect(parsed.warnings).toEqual([
      'session "my project" is imported as my-project: its name cannot be addressed exactly',
    ]);
  });

  it('renames so that names stay unique, and counts what it had to leave out', () => {
    const lines = [
      'pane\ta b\t0\t1\t:*\t0\tt\t:/x\t1\tbash',
      'pane\ta-b\t0\t1\t:*\t0\tt\t:/y\t1\tbash',
      'pane\t\u270e\t0\t1\t:*\t0\tt\t:/z\t1\tbash',
      'pane\tnul\t0\t1\t:*\t0\tt\t:/bad\u0000dir\t1\tbash',
    ].join('\n');
    const parsed = convertTmuxResurrect(lines, options);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.draft.sessions.map((s) => [s.sessionName, s.workingDirectory])).toEqual([
      ['a-b-2', '/x'],
      ['a-b', '/y'],
      ['session', '/z'],
    ]);
    expect(parsed.skipped).toBe(1);
    expect(parsed.warnings).toContain('session "nul" skipped: its directory holds a NUL byte');
  });

  it('names the line of a malformed file', () => {
    expect(convertTmuxResurrect('pane\tonly\tthree', options)).toEqual({
      ok: false,
      reason: 'line 1: a pane line needs at least 10 tab-separated fields, found 3',
    });
    expect(
      convertTmuxResurrect('pane\ts\t0\t1\t:*\t0\tt\t:relative\t1\tbash', options),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/not an absolute path/) });
    expect(convertTmuxResurrect('hello', options)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not a tmux-resurrect save file/),
    });
  });
});
