import type { PaneSpec, SessionEntrySpec, WindowSpec } from './checkpoint-spec.js';
import { type LayoutCell, layoutLeaves, parseLayout, sharesOf } from './layout-tree.js';
import { windowsOf } from './session-windows.js';

/*
 * The zellij layout (KDL, the v1 syntax zellij 0.45 reads) that recreates a session: one tab
 * per window with its name, the window's splits with their shares in percent, and each pane
 * with its cwd and its command (a launcher: KDL has no per-pane env). The active window's tab
 * and each tab's active pane have focus. zellij's default tab bar and status bar frame every
 * tab, as in a session zellij made itself.
 */

/** A KDL string: quoted, with KDL's escapes for `\`, `"` and control characters. */
export function kdlString(text: string): string {
  const escaped = text.replace(/[\\"\p{Cc}]/gu, (char) => {
    switch (char) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u{${char.codePointAt(0)!.toString(16)}}`;
    }
  });
  return `"${escaped}"`;
}

const FRAME = [
  '    default_tab_template {',
  '        pane size=1 borderless=true {',
  '            plugin location="zellij:tab-bar"',
  '        }',
  '        children',
  '        pane size=2 borderless=true {',
  '            plugin location="zellij:status-bar"',
  '        }',
  '    }',
];

/**
 * The layout of `session`: `commandOf(window, pane)` is the argv a pane runs. A window whose
 * layout string does not match its panes (absent, or another count) puts its panes side by
 * side in equal shares.
 */
export function zellijLayoutOf(
  session: SessionEntrySpec,
  commandOf: (window: WindowSpec, pane: PaneSpec) => readonly string[],
): string {
  const lines = ['layout {', ...FRAME];
  const windows = windowsOf(session);
  const activeWindow = windows.find((window) => window.active) ?? windows[0]!;
  for (const window of windows) {
    const name = window.name ? ` name=${kdlString(window.name)}` : '';
    lines.push(`    tab${name}${window === activeWindow ? ' focus=true' : ''} {`);
    const tree = treeOf(window);
    const leaves = layoutLeaves(tree);
    const activePane = window.panes.find((pane) => pane.active) ?? window.panes[0]!;
    const emit = (cell: LayoutCell, size: number | null, depth: number): void => {
      const indent = ' '.repeat(4 * depth);
      const sized = size === null ? '' : ` size="${size}%"`;
      if ('pane' in cell) {
        const pane = window.panes[leaves.indexOf(cell)]!;
        const [command, ...args] = commandOf(window, pane);
        const focus = pane === activePane ? ' focus=true' : '';
        lines.push(
          `${indent}pane${sized} cwd=${kdlString(pane.workingDirectory)} command=${kdlString(command!)}${focus} {`,
          ...(args.length > 0 ? [`${indent}    args ${args.map(kdlString).join(' ')}`] : []),
          `${indent}}`,
        );
        return;
      }
      const direction = cell.split === 'columns' ? 'vertical' : 'horizontal';
      lines.push(`${indent}pane split_direction="${direction}"${sized} {`);
      const shares = sharesOf(cell);
      cell.children.forEach((child, i) =>
        emit(child, i < cell.children.length - 1 ? shares[i]! : null, depth + 1),
      );
      lines.push(`${indent}}`);
    };
    emit(tree, null, 2);
    lines.push('    }');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A window's layout tree with one leaf per pane, in pane order. */
function treeOf(window: WindowSpec): LayoutCell {
  const saved = window.layout ? parseLayout(window.layout) : null;
  if (saved && layoutLeaves(saved).length === window.panes.length) return saved;
  if (window.panes.length === 1) return { width: 80, height: 24, x: 0, y: 0, pane: 0 };
  const width = 80 * window.panes.length - 1;
  return {
    width,
    height: 24,
    x: 0,
    y: 0,
    split: 'columns',
    children: window.panes.map((_, i) => ({ width: 79, height: 24, x: 80 * i, y: 0, pane: i })),
  };
}
