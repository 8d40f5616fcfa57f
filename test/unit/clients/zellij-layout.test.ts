import { describe, expect, it } from 'vitest';
import { layoutExtent, readZellijLayout } from '../../../clients/zellij-dump.js';
import { isWaiting, windowsOfZellij } from '../../../clients/zellij-windows.js';
import type { SessionEntrySpec } from '../../../specs/checkpoint-spec.js';
import { aZellijSession } from '../../support/builders.js';
import { layoutLeaves, parseLayout } from '../../../specs/layout-tree.js';
import { kdlString, zellijLayoutOf } from '../../../specs/zellij-layout.js';

// What zellij 0.45.1's `action dump-layout` printed for a detached session of 2 tabs, 3 panes.
const DUMP = `layout {
    cwd "/tmp/zx"
    tab name="first" hide_floating_panes=true {
        pane size=1 borderless=true {
            plugin location="zellij:tab-bar"
        }
        pane split_direction="vertical" {
            pane cwd="my dir" size="70%"
            pane cwd="b" size="30%"
        }
        pane size=2 borderless=true {
            plugin location="zellij:status-bar"
        }
    }
    tab name="second" hide_floating_panes=true {
        pane command="less" cwd="b" {
            args "/etc/passwd"
            start_suspended true
        }
    }
    new_tab_template {
        pane size=1 borderless=true {
            plugin location="zellij:tab-bar"
        }
    }
}
`;
// Its panes as `list-panes --json --all` gave them (the fields the capture reads).
const LISTED = [
  { id: 0, is_plugin: true, tab_position: 0 },
  {
    id: 1,
    is_plugin: false,
    is_focused: false,
    tab_position: 1,
    pane_x: 0,
    pane_y: 1,
    pane_columns: 50,
    pane_rows: 47,
    pane_cwd: '/tmp/zx/b',
  },
  {
    id: 0,
    is_plugin: false,
    is_focused: true,
    tab_position: 0,
    pane_x: 0,
    pane_y: 1,
    pane_columns: 35,
    pane_rows: 47,
    pane_cwd: '/tmp/zx/my dir',
  },
  {
    id: 2,
    is_plugin: false,
    is_focused: false,
    tab_position: 0,
    pane_x: 35,
    pane_y: 1,
    pane_columns: 15,
    pane_rows: 47,
    pane_cwd: '/tmp/zx/b',
  },
];

const session = aZellijSession;

describe("zellij's layout, read", () => {
  it('gives tabs, splits with their shares, cwds and the argv each pane runs, without plugins', () => {
    const tabs = readZellijLayout(DUMP);
    expect(tabs.map((tab) => tab.name)).toEqual(['first', 'second']);
    expect(tabs[0]!.tree).toEqual({
      size: null,
      split: 'columns',
      children: [
        { size: { percent: 70 }, argv: null, cwd: '/tmp/zx/my dir' },
        { size: { percent: 30 }, argv: null, cwd: '/tmp/zx/b' },
      ],
    });
    expect(tabs[1]!.tree).toEqual({ size: null, argv: ['less', '/etc/passwd'], cwd: '/tmp/zx/b' });
    expect(layoutExtent(tabs)).toEqual({ tabs: 2, panes: 3 });
    expect(() => readZellijLayout('layout { tab { pane')).toThrow();
    expect(() => readZellijLayout('tab')).toThrow(/no layout node/);
  });

  it('matches each dumped pane to the listed one at its place: ids, cwd, focus, program', () => {
    const windows = windowsOfZellij(readZellijLayout(DUMP), LISTED, '/w');
    expect(windows.map((w) => w.paneIds)).toEqual([[0, 2], [1]]);
    const [first, second] = windows.map((w) => w.window);
    expect(first!.layout).toMatch(/^[0-9a-f]{4},50x47,0,0\{34x47,0,0,0,15x47,35,0,1\}$/);
    expect(first!.panes.map((p) => [p.workingDirectory, p.active, p.program])).toEqual([
      ['/tmp/zx/my dir', true, undefined],
      ['/tmp/zx/b', false, undefined],
    ]);
    expect(second!.panes[0]).toMatchObject({ program: ['less', '/etc/passwd'], active: true });
    expect(first!.active).toBe(true);
    expect(second!.active).toBe(false);
  });

  it('takes a shell with a script or -c for a program, a bare shell for the prompt', () => {
    const dump = (command: string, args: string) =>
      `layout {\n tab {\n  pane command="${command}" cwd="/w" {\n   args ${args}\n  }\n }\n}\n`;
    const program = (text: string) =>
      windowsOfZellij(readZellijLayout(text), [], '/w')[0]!.window.panes[0]!.program;
    expect(program(dump('/bin/sh', '"/home/u/bin/claude"'))).toEqual([
      '/bin/sh',
      '/home/u/bin/claude',
    ]);
    expect(program(dump('bash', '"-c" "make"'))).toEqual(['bash', '-c', 'make']);
    expect(program(dump('bash', '"-l"'))).toBeUndefined();
  });

  it('knows a pane waiting for ENTER from one that exited or runs', () => {
    expect(isWaiting({ id: 1, is_plugin: false, is_held: true, exit_status: null })).toBe(true);
    expect(isWaiting({ id: 1, is_plugin: false, is_held: true, exit_status: 0 })).toBe(false);
    expect(isWaiting({ id: 1, is_plugin: false, is_held: false })).toBe(false);
    expect(isWaiting({ id: 1, is_plugin: true, is_held: true })).toBe(false);
  });
});

describe('the layout a respawn writes', () => {
  const windows: SessionEntrySpec['windows'] = [
    {
      index: 0,
      name: 'code "main"',
      active: false,
      zoomed: false,
      layout: '5853,160x45,0,0{80x45,0,0,0,79x45,81,0,1}',
      panes: [
        { index: 0, workingDirectory: '/w/my dir', active: false, scrollback: '' },
        { index: 1, workingDirectory: '/w/b', active: true, scrollback: '' },
      ],
    },
    {
      index: 3,
      name: '',
      active: true,
      zoomed: false,
      panes: [{ index: 0, workingDirectory: '/w', active: true, scrollback: '' }],
    },
  ];

  it('is read back by zellij as the same tabs, splits, cwds, commands and focus', () => {
    const kdl = zellijLayoutOf(session(windows), (w, p) => [
      '/bin/sh',
      `/s/launch/s1~${w.index}.${p.index}.sh`,
    ]);
    expect(kdl).toContain('tab name="code \\"main\\"" {');
    expect(kdl).toContain('tab focus=true {');
    const tabs = readZellijLayout(kdl);
    expect(tabs.map((tab) => [tab.name, tab.focus])).toEqual([
      ['code "main"', false],
      ['', true],
    ]);
    expect(tabs[0]!.tree).toEqual({
      size: null,
      split: 'columns',
      children: [
        { size: { percent: 51 }, argv: ['/bin/sh', '/s/launch/s1~0.0.sh'], cwd: '/w/my dir' },
        { size: null, argv: ['/bin/sh', '/s/launch/s1~0.1.sh'], cwd: '/w/b' },
      ],
    });
    expect(kdl).toMatch(/cwd="\/w\/b" command="\/bin\/sh" focus=true/);
  });

  it('gives panes without a usable layout equal shares', () => {
    const three = [
      {
        ...windows[0]!,
        layout: undefined,
        panes: [0, 1, 2].map((index) => ({
          index,
          workingDirectory: '/w',
          active: index === 0,
          scrollback: '',
        })),
      },
    ];
    const tree = readZellijLayout(zellijLayoutOf(session(three), () => ['/bin/sh']))[0]!.tree!;
    expect('split' in tree && tree.children.map((c) => c.size)).toEqual([
      { percent: 33 },
      { percent: 33 },
      null,
    ]);
    expect(layoutLeaves(parseLayout(windows[0]!.layout!)!)).toHaveLength(2);
  });

  it('quotes every string as KDL reads it', () => {
    for (const text of ['plain', 'a "b" \\ c', 'tab\tnew\nline', 'é ✎ \u0007', '${HOME}'])
      expect(readZellijLayout(`layout { tab name=${kdlString(text)} { pane; }; }`)[0]!.name).toBe(
        text,
      );
  });
});
