import type { RecoveryEvent } from '../specs/events.js';
import { CLEAR_LINE, COLOURS, type Style } from './ansi.js';
import { type BannerState, completedCount } from './banner-state.js';
import type { BannerRenderer } from './renderer.js';
import { fitLines } from './fit-width.js';
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

function liveLine(state: BannerState, style: Style): string {
  const text = stageText(state);
  if (state.stage === 'RESTORING')
    return `${style.bold('⟳')} ${text} ${style.dim(progressBar(completedCount(state), state.sessionsTotal))}`;
  return `${style.bold('⟳')} ${text}`;
}

function colourSummary(lines: string[], state: BannerState, style: Style): string[] {
  return lines.map((line, i) => {
    if (i === 0) return style.bold(state.withIssues ? style.yellow(line) : style.green(line));
    if (line.trimStart().startsWith('✓')) return line.replace('✓', style.green('✓'));
    if (line.trimStart().startsWith('✗')) return line.replace('✗', style.red('✗'));
    return line;
  });
}

/**
 * The terminal renderer: one live line rewritten in place (stage, and a progress bar while
 * restoring), then a boxed summary that fits `columns` (long lines wrapped, paths shortened),
 * its remedies worded by `remedyText`. Only used on a TTY outside CI; `style` may be colourless.
 */
export function createTtyRenderer(
  style: Style = COLOURS,
  columns: number = process.stdout.columns || 80,
  remedyText: RemedyText = renderRemedy,
): BannerRenderer {
  return {
    drawsOnTerminal: true,
    render(event: RecoveryEvent, _before: BannerState, after: BannerState): string {
      if (event.topic === 'recovery.completed') {
        // No box wider than the screen: 4 columns go to the borders and their padding.
        const plain = fitLines(renderSummaryLines(after, remedyText), Math.max(20, columns - 4));
        const boxed = boxLines(plain, (line) => [...line].length);
        const coloured = colourSummary(plain, after, style);
        const out = boxed.map((line, i) =>
          i === 0 || i === boxed.length - 1 ? line : line.replace(plain[i - 1]!, coloured[i - 1]!),
        );
        return `${CLEAR_LINE}${out.join('\n')}\n`;
      }
      if (after.stage === 'LIVE' || after.stage?.endsWith('_FAILED')) return '';
      return `${CLEAR_LINE}${liveLine(after, style)}`;
    },
  };
}
