import { GLOBAL_HELP, parseCommandArgs, UsageError, workspaceOptions } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { count } from './cli-io.js';
import { didYouMean } from './did-you-mean.js';

const CHECKPOINTS_HELP = `Usage: helios-recover checkpoints [options]
       helios-recover checkpoints diff A B [options]

Lists the checkpoint generations of the workspace, newest first: generation, when it was
written, its sessions / windows / panes, what changed since the generation before it
(+added -removed ~changed sessions), which one is current, the named snapshots
(\`checkpoint --keep NAME\`) and every file that does not read, with why.

\`diff A B\` says, session by session, what changed from A to B (generation numbers or snapshot
names): sessions added and removed, and for a changed one its cwd, windows, panes, programs,
layouts and environment (variable names only, never values).

A generation is restored with \`recover --generation N\` (or a snapshot name).

${GLOBAL_HELP}

Exit status: 0, 1 error (a generation that is not there or does not read).`;

type Compose = typeof import('../controllers/compose.js');
type Listing = Extract<Awaited<ReturnType<Compose['listGenerations']>>, { ok: true }>['listing'];
type Diff = Extract<Awaited<ReturnType<Compose['diffGenerations']>>, { ok: true }>;

export async function runCheckpointsCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {}, 3);
  if (values.help) {
    io.out(`${CHECKPOINTS_HELP}\n`);
    return 0;
  }
  const [sub, a, b] = positionals;
  if (sub !== undefined && sub !== 'diff')
    throw new UsageError(`unknown subcommand "${sub}"${didYouMean(sub, ['diff'])}`);
  if (sub === 'diff' && (a === undefined || b === undefined))
    throw new UsageError('checkpoints diff needs two generations: A B (numbers or snapshot names)');
  if (sub === undefined && positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const compose = await import('../controllers/compose.js');
  const config = compose.configure(workspaceOptions(values, io));
  if (sub === 'diff') {
    const diffed = await compose.diffGenerations(config, a!, b!);
    if (!diffed.ok) {
      throw new Error(`${diffed.reason}${didYouMean(diffed.ref, diffed.known)}`);
    }
    const { ok: _ok, ...data } = diffed;
    io.out(
      values.json ? `${JSON.stringify({ type: 'generation-diff', ...data })}\n` : diffText(diffed),
    );
    return 0;
  }
  const listed = await compose.listGenerations(config);
  if (!listed.ok) throw new Error(listed.reason);
  io.out(
    values.json
      ? `${JSON.stringify({ type: 'generations', ...listed.listing })}\n`
      : listingText(listed.listing),
  );
  return 0;
}

const when = (iso: string | null) =>
  iso === null ? '?' : iso.replace('T', ' ').replace(/\.\d+/, '');

function listingText(listing: Listing): string {
  const lines = [
    `Checkpoint generations of ${listing.workspaceId} (${listing.stateDir}), newest first:`,
  ];
  if (listing.rows.length === 0) lines.push('  none yet (`helios-recover checkpoint` writes one)');
  for (const row of listing.rows) {
    const gen = String(row.generation ?? '?').padStart(4);
    if (row.problem !== null) {
      lines.push(`  ${gen}  ${when(row.writtenAt)}  does not read: ${row.problem}`);
      continue;
    }
    const shape = row.shape!;
    const changes = row.changes === null ? '(oldest)' : row.changes || 'no change';
    const notes = [
      ...(row.current ? ['current'] : []),
      ...row.snapshots.map((name) => `snapshot ${name}`),
      ...(row.sameAs !== null ? [`same as ${row.sameAs}`] : []),
      ...(row.corrupt > 0 ? [count(row.corrupt, 'corrupt entry', 'corrupt entries')] : []),
    ];
    lines.push(
      `  ${gen}  ${when(row.writtenAt)}  ${count(shape.sessions, 'session')}, ${count(shape.windows, 'window')}, ${count(shape.panes, 'pane')}  ${changes}${notes.length > 0 ? `  [${notes.join(', ')}]` : ''}`,
    );
  }
  lines.push(retentionText(listing.retention));
  for (const warning of listing.warnings) lines.push(`Warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

/** The retention policy in one line. */
export function retentionText(policy: {
  keepCount: number;
  keepAgeMs: number;
  source?: 'default' | 'file';
}): string {
  const age =
    policy.keepAgeMs === 0
      ? ''
      : ` and every one younger than ${ageText(policy.keepAgeMs)} (at most 50)`;
  return `Retention${policy.source === 'default' ? ' (default)' : ''}: the current generation, the last ${policy.keepCount} before it${age}; named snapshots are never pruned.`;
}

function ageText(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const)
    if (ms % size === 0) return `${ms / size}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}

function diffText(result: Diff): string {
  const { diff } = result;
  const lines = [`From generation ${result.from} to ${result.to}:`];
  for (const name of diff.added) lines.push(`  + ${name}  added`);
  for (const name of diff.removed) lines.push(`  - ${name}  removed`);
  for (const change of diff.changed) {
    lines.push(`  ~ ${change.name}`);
    const pair = (what: string, v?: { from: unknown; to: unknown }) =>
      v && lines.push(`      ${what}: ${String(v.from)} -> ${String(v.to)}`);
    pair('multiplexer', change.multiplexer);
    pair('cwd', change.cwd);
    pair('shell', change.shell);
    pair('lane', change.lane);
    if (change.windows)
      lines.push(
        `      windows: ${change.windows.from.join(' ')} -> ${change.windows.to.join(' ')}`,
      );
    pair('panes', change.panes);
    for (const pane of change.paneCwds ?? [])
      lines.push(`      pane ${pane.pane} cwd: ${pane.from} -> ${pane.to}`);
    for (const pane of change.programs ?? [])
      lines.push(`      pane ${pane.pane} program: ${pane.from} -> ${pane.to}`);
    if (change.layouts) lines.push(`      layout changed: window ${change.layouts.join(', ')}`);
    if (change.environment) {
      const { added, removed, changed } = change.environment;
      const names = [
        ...added.map((n) => `+${n}`),
        ...removed.map((n) => `-${n}`),
        ...changed.map((n) => `~${n}`),
      ];
      lines.push(`      environment (names only): ${names.join(' ')}`);
    }
  }
  if (lines.length === 1) lines.push('  no difference');
  return `${lines.join('\n')}\n`;
}
