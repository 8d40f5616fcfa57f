import { SUPERLINEAR_GROWTH } from './bench-blocked.js';

/** One figure measured at several sizes. */
export interface Series {
  readonly name: string;
  readonly points: readonly { readonly n: number; readonly ms: number }[];
  /** False for what is not ours to judge (the floor: tmux's own growth), reported only. */
  readonly judged?: boolean;
}

/**
 * How much more one more session costs over the largest sizes than over the smallest: the
 * marginal cost between the last two sizes over that between the first and the second-to-last
 * (25 -> 250 against 250 -> 1,000). Linear is about 1; a quadratic over these sizes gives 4.5.
 * The wider first interval keeps the noise of the small sizes out of the verdict.
 */
export function growthOf(series: Series): number | null {
  const points = [...series.points].sort((a, b) => a.n - b.n);
  if (points.length < 3) return null;
  const [first, middle, last] = [points[0]!, points.at(-2)!, points.at(-1)!];
  const early = (middle.ms - first.ms) / (middle.n - first.n);
  const late = (last.ms - middle.ms) / (last.n - middle.n);
  if (early <= 0) return late <= 0 ? 1 : Infinity;
  return Math.round((late / early) * 100) / 100;
}

/** The growth verdict of each series: superlinear above SUPERLINEAR_GROWTH. */
export function growthTargets(series: readonly Series[]) {
  return series.flatMap((s) => {
    const growth = growthOf(s);
    if (growth === null) return [];
    return [
      {
        name: `growth of ${s.name} with the number of sessions`,
        value: growth,
        target: `<= ${SUPERLINEAR_GROWTH} (1 is linear; ${s.points.map((p) => `${p.n}: ${p.ms} ms`).join(', ')})${s.judged === false ? '; reported, not judged' : ''}`,
        met: s.judged === false || growth <= SUPERLINEAR_GROWTH,
      },
    ];
  });
}

interface Row {
  readonly terminals: number;
  readonly windowsPerSession: number;
  readonly panesPerWindow: number;
  readonly rawFloorMs: number;
  readonly inProcessMs: number;
  readonly inProcessRatio: number;
  readonly crashToLiveMs: number;
  readonly cliBoundMs: number;
  readonly ratio: number;
  readonly verificationMs: number;
  readonly stagesMs: Readonly<Record<string, number>>;
}

const STAGES = ['start-up', 'detecting', 'inventorying', 'restoring', 'reconciling', 'exit'];

/** The one table of a run: per size, the floor, both paths, their ratios, the save, the stages. */
export function crashToLiveTable(
  rows: readonly Row[],
  saves: readonly { sessions: number; aboveNodeMs: number }[],
): string {
  const header = [
    'sessions',
    'floor',
    'in-process (ratio)',
    'CLI (ratio)',
    'CLI bound',
    'verification',
    'save x6 panes',
    `CLI stages: ${STAGES.join(' / ')}`,
  ];
  const lines = rows.map((r) => {
    const shape =
      r.windowsPerSession * r.panesPerWindow > 1
        ? `${r.terminals} x ${r.windowsPerSession}w x ${r.panesPerWindow}p`
        : String(r.terminals);
    const save = r.windowsPerSession === 1 ? saves.find((s) => s.sessions === r.terminals) : null;
    return [
      shape,
      `${r.rawFloorMs}`,
      `${r.inProcessMs} (${r.inProcessRatio})`,
      `${r.crashToLiveMs} (${r.ratio})`,
      `${r.cliBoundMs}${r.crashToLiveMs <= r.cliBoundMs ? '' : ' MISS'}`,
      `${r.verificationMs}`,
      save ? `${save.aboveNodeMs} above node` : '-',
      STAGES.map((stage) => Math.round(r.stagesMs[stage] ?? 0)).join(' / '),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    format(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.map(format),
  ].join('\n');
}
