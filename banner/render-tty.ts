import type { RecoveryEvent } from '../specs/events.js';
import { CLEAR_LINE, COLOURS, type Style } from './ansi.js';
import { type BannerState, restoreProgress } from './banner-state.js';
import type { BannerRenderer } from './renderer.js';
import { type RemedyText, renderRemedy } from './render-remedy.js';
import { renderSummaryLines } from './render-summary.js';
import { stageText } from './stage-text.js';

const BAR_WIDTH = 24;

/** `[#########---------------]` for M of N. */
export function progressBar(done: number, total: number | null): string {
  const filled = total && total > 0 ? Math.round((Math.min(done, total) / total) * BAR_WIDTH) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

/** The summary in a box, each line padded to the widest one. */
export function boxLines(
  lines: readonly string[],
  width: (text: string) => number = (t) => t.length,
): string[] {
  const inner = Math.max(...lines.map(width));
  return [
    `┌${'─'.repeat(inner + 2)}┐`,
    ...lines.map((line) => `│ ${line}${' '.repeat(inner - width(line))} │`),
    `└${'─'.repeat(inner + 2)}┘`,
  ];
}

/**
 * The live line, on one terminal row (a wrapped one could not be rewritten in place): the bar
 * goes first, then the text is cut. Its texts are ASCII but for `⟳`, so code points are cells.
 */
function liveLine(state: BannerState, style: Style, columns: number): string {
  const text = stageText(state);
  const room = Math.max(10, columns - 3);
  const shown = [...text].length > room ? `${[...text].slice(0, room - 1).join('')}…` : text;
  if (state.stage === 'RESTORING') {
    const { done, total } = restoreProgress(state);
    const bar = progressBar(done, total);
    if ([...text].length + 1 + bar.length <= room)
      return `${style.bold('⟳')} ${text} ${style.dim(bar)}`;
  }
  return `${style.bold('⟳')} ${shown}`;
}

function colourSummary(lines: string[], state: BannerState, style: Style): string[] {
  return lines.map((line, i) => {
    if (i === 0) return style.bold(state.withIssues ? style.yellow(line) : style.green(line));
    if (line.trimStart().startsWith('✓')) return line.replace('✓', style.green('✓'));
    if (line.trimStart().startsWith('✗')) return line.replace('✗', style.red('✗'));
    return line;
  });
}

/** The fitting of text to cells: loaded when a TTY renderer is made, off the CLI's cold path. */
type Fitting = typeof import('./fit-width.js');
let fitting: Fitting | undefined;
let loading: Promise<void> | undefined;

/** Loads the fitting (get-east-asian-width with it); resolves when the summary can be drawn. */
export function loadFitting(): Promise<void> {
  loading ??= import('./fit-width.js').then(
    (module) => void (fitting = module),
    () => undefined, // not loadable: the summary is printed unboxed (see below)
  );
  return loading;
}

/** The summary in a box that fits `columns`, and, below it, in full what had to be cut. */
function summaryBox(lines: string[], state: BannerState, style: Style, columns: number): string {
  if (!fitting) return `${colourSummary(lines, state, style).join('\n')}\n`;
  // No box wider than the screen: 4 columns go to the borders and their padding.
  const fitted = fitting.fitText(lines, Math.max(20, columns - 4));
  const plain = fitted.lines;
  const boxed = boxLines(plain, fitting.cellWidth);
  const coloured = colourSummary(plain, state, style);
  const out = boxed.map((line, i) =>
    i === 0 || i === boxed.length - 1 ? line : line.replace(plain[i - 1]!, coloured[i - 1]!),
  );
  if (fitted.cut.length > 0) out.push('In full (… above marks text cut to fit):', ...fitted.cut);
  return `${out.join('\n')}\n`;
}

/**
 * The terminal renderer: one live line rewritten in place (stage, and a progress bar while
 * restoring), then a boxed summary that fits `columns` in terminal cells (long lines wrapped,
 * long commands at their options with ` \` continuations), its remedies worded by `remedyText`.
 * Only used on a TTY outside CI; `style` may be colourless. The box needs the fitting, which
 * starts loading here: `ready()` returns the wait for it, or null once it is there
 * (attachBanner waits; a summary drawn before it is printed without the box).
 */
export function createTtyRenderer(
  style: Style = COLOURS,
  columns: number = process.stdout.columns || 80,
  remedyText: RemedyText = renderRemedy,
): BannerRenderer {
  void loadFitting();
  return {
    drawsOnTerminal: true,
    ready: () => (fitting ? null : loadFitting()),
    render(event: RecoveryEvent, _before: BannerState, after: BannerState): string {
      if (event.topic === 'recovery.completed')
        return `${CLEAR_LINE}${summaryBox(renderSummaryLines(after, remedyText), after, style, columns)}`;
      if (after.stage === 'LIVE' || after.stage?.endsWith('_FAILED')) return '';
      return `${CLEAR_LINE}${liveLine(after, style, columns)}`;
    },
  };
}
