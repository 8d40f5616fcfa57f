import { describe, expect, it } from 'vitest';
import { SessionEntrySpec } from '../../../specs/checkpoint-spec.js';
import {
  activePaneOf,
  layoutSize,
  panesOf,
  shapeOf,
  windowsOf,
} from '../../../specs/session-windows.js';

const v1 = {
  sessionId: 's1',
  terminalId: 's1',
  laneId: null,
  multiplexer: 'tmux' as const,
  sessionName: 'my project',
  workingDirectory: '/w',
  environment: {},
  shellCommand: ['bash'],
  scrollback: 'old',
  checksum: `sha256:${'0'.repeat(64)}`,
};

describe("a session's windows and panes", () => {
  it('reads a session without windows as one window with one pane of its own', () => {
    expect(windowsOf(v1)).toEqual([
      {
        index: 0,
        name: '',
        active: true,
        zoomed: false,
        panes: [{ index: 0, workingDirectory: '/w', active: true, scrollback: 'old' }],
      },
    ]);
    expect(shapeOf(v1)).toEqual({ windows: 1, panes: 1 });
  });

  it('gives windows and panes in index order, and the active pane of the active window', () => {
    const pane = (index: number, active: boolean) => ({
      index,
      workingDirectory: `/p${index}`,
      active,
      scrollback: '',
    });
    const session = {
      ...v1,
      windows: [
        {
          index: 3,
          name: 'b',
          active: true,
          zoomed: false,
          panes: [pane(1, true), pane(0, false)],
        },
        { index: 1, name: 'a', active: false, zoomed: false, panes: [pane(0, true)] },
      ],
    };
    expect(SessionEntrySpec.safeParse(session).success).toBe(true);
    expect(windowsOf(session).map((w) => [w.index, w.panes.map((p) => p.index)])).toEqual([
      [1, [0]],
      [3, [0, 1]],
    ]);
    expect(activePaneOf(session).workingDirectory).toBe('/p1');
    expect(panesOf(session)).toHaveLength(3);
    const twice = {
      ...session,
      windows: [session.windows[0]!, { ...session.windows[1]!, index: 3 }],
    };
    expect(SessionEntrySpec.safeParse(twice).success).toBe(false);
  });

  it('reads the window size of a layout string', () => {
    const layout = '5853,160x45,0,0{80x45,0,0,0,79x45,81,0,1}';
    expect(layoutSize(layout)).toEqual({ width: 160, height: 45 });
    expect(layoutSize('nonsense')).toBeNull();
  });

  it('refuses a hostile layout or a session name tmux cannot keep', () => {
    const window = {
      index: 0,
      name: 'w',
      active: true,
      zoomed: false,
      panes: [{ index: 0, workingDirectory: '/w', active: true, scrollback: '' }],
    };
    expect(
      SessionEntrySpec.safeParse({ ...v1, windows: [{ ...window, layout: '#(touch /tmp/x)' }] })
        .success,
    ).toBe(false);
    expect(SessionEntrySpec.safeParse({ ...v1, sessionName: 'a.b' }).success).toBe(false);
    expect(SessionEntrySpec.safeParse({ ...v1, sessionName: 'caf\u00e9 #1' }).success).toBe(true);
    expect(SessionEntrySpec.safeParse({ ...v1, sessionName: 'bad\u202ename' }).success).toBe(false);
  });
});
