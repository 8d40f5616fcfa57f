import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionEntrySpec } from '../../../specs/checkpoint-spec.js';
import {
  changeSummary,
  diffCheckpoints,
  isEmptyDiff,
  shapeOf,
} from '../../../specs/checkpoint-diff.js';
import {
  DEFAULT_RETENTION,
  generationsToPrune,
  MAX_KEPT_GENERATIONS,
  parseDuration,
  snapshotNameProblem,
} from '../../../specs/checkpoint-retention.js';
import { aSession } from '../../support/builders.js';

const pane = (index: number, cwd: string, program?: string[]) => ({
  index,
  workingDirectory: cwd,
  active: index === 0,
  scrollback: '',
  ...(program ? { program } : {}),
});

const arbSession: fc.Arbitrary<SessionEntrySpec> = fc
  .record({
    name: fc.constantFrom('api', 'build', 'notes', 'web', 'db', 'logs'),
    cwd: fc.constantFrom('/a', '/b', '/c'),
    env: fc.dictionary(fc.constantFrom('A', 'B', 'TOKEN'), fc.constantFrom('1', '2')),
    windows: fc.array(
      fc.record({
        panes: fc.array(
          fc.record({
            cwd: fc.constantFrom('/a', '/b'),
            program: fc.option(fc.constantFrom<string[]>(['vim', 'x'], ['less'], ['vim', 'y']), {
              nil: undefined,
            }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        layout: fc.constantFrom(undefined, 'abcd,80x24,0,0,1', 'bcde,80x24,0,0{40x24,0,0,1}'),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ name, cwd, env, windows }) =>
    aSession({
      sessionId: name,
      sessionName: name,
      workingDirectory: cwd,
      environment: env,
      windows: windows.map((window, index) => ({
        index,
        name: `w${index}`,
        active: index === 0,
        zoomed: false,
        ...(window.layout ? { layout: window.layout } : {}),
        panes: window.panes.map((p, i) => pane(i, p.cwd, p.program)),
      })),
    }),
  );
const arbGeneration = fc
  .uniqueArray(arbSession, { selector: (s) => s.sessionName, maxLength: 5 })
  .map((sessions) => ({ sessions }));

describe('checkpoint diff (pure)', () => {
  it('finds nothing between a generation and itself', () => {
    fc.assert(
      fc.property(arbGeneration, (generation) => {
        const diff = diffCheckpoints(generation, generation);
        expect(isEmptyDiff(diff)).toBe(true);
        expect(changeSummary(diff)).toBe('');
      }),
    );
  });

  it('swaps added and removed when A and B swap, and changes the same sessions', () => {
    fc.assert(
      fc.property(arbGeneration, arbGeneration, (a, b) => {
        const forward = diffCheckpoints(a, b);
        const backward = diffCheckpoints(b, a);
        expect(backward.added).toEqual(forward.removed);
        expect(backward.removed).toEqual(forward.added);
        expect(backward.changed.map((c) => c.name)).toEqual(forward.changed.map((c) => c.name));
      }),
    );
  });

  it('says what changed in a session, and names variables without their values', () => {
    const before = aSession({
      sessionId: 'api',
      sessionName: 'api',
      workingDirectory: '/srv/api',
      environment: { TOKEN: 'old-secret', KEEP: 'x', GONE: 'y' },
      windows: [
        {
          index: 0,
          name: 'main',
          active: true,
          zoomed: false,
          layout: 'abcd,80x24,0,0,1',
          panes: [pane(0, '/srv/api', ['vim', 'a.ts'])],
        },
      ],
    });
    const after = aSession({
      ...before,
      workingDirectory: '/srv/api2',
      environment: { TOKEN: 'new-secret', KEEP: 'x', ADDED: 'z' },
      windows: [
        {
          index: 0,
          name: 'main',
          active: true,
          zoomed: false,
          layout: 'bcde,80x24,0,0{40x24,0,0,1,39x24,41,0,2}',
          panes: [pane(0, '/srv/api', ['vim', 'b.ts']), pane(1, '/tmp')],
        },
        { index: 1, name: 'logs', active: false, zoomed: false, panes: [pane(0, '/var/log')] },
      ],
    });
    const notes = aSession({ sessionId: 'notes', sessionName: 'notes' });
    const build = aSession({ sessionId: 'build', sessionName: 'build' });
    const diff = diffCheckpoints({ sessions: [before, notes] }, { sessions: [after, build] });
    expect(changeSummary(diff)).toBe('+build -notes ~api');
    const change = diff.changed[0]!;
    expect(change.cwd).toEqual({ from: '/srv/api', to: '/srv/api2' });
    expect(change.windows).toEqual({ from: ['0:main'], to: ['0:main', '1:logs'] });
    expect(change.panes).toEqual({ from: 1, to: 3 });
    expect(change.programs).toEqual([
      { pane: '0.0', from: 'vim (arguments changed)', to: 'vim (arguments changed)' },
    ]);
    expect(change.layouts).toEqual(['0:main']);
    expect(change.environment).toEqual({ added: ['ADDED'], removed: ['GONE'], changed: ['TOKEN'] });
    expect(JSON.stringify(diff)).not.toMatch(/secret|a\.ts|b\.ts/);
    expect(shapeOf({ sessions: [after, build] })).toEqual({ sessions: 2, windows: 3, panes: 4 });
  });

  it('ignores what changes at every save (scrollback, titles, the active pane)', () => {
    const a = aSession({ sessionId: 's', scrollback: 'one' });
    const b = aSession({ sessionId: 's', scrollback: 'two' });
    expect(isEmptyDiff(diffCheckpoints({ sessions: [a] }, { sessions: [b] }))).toBe(true);
  });
});

describe('retention policy (pure)', () => {
  const hour = 3_600_000;
  it('keeps the last K, then what is younger than the age, capped; never a protected one', () => {
    const previous = Array.from({ length: 80 }, (_, i) => ({
      generation: i,
      ageMs: (80 - i) * 1000,
    }));
    // All 80 are young: the cap keeps the newest 50.
    const pruned = generationsToPrune(previous, DEFAULT_RETENTION);
    expect(pruned.length).toBe(80 - MAX_KEPT_GENERATIONS);
    expect(Math.max(...pruned)).toBe(80 - MAX_KEPT_GENERATIONS - 1);
    // Old ones: only the last 5, plus a protected one.
    const old = Array.from({ length: 10 }, (_, i) => ({ generation: i, ageMs: 48 * hour }));
    expect(generationsToPrune(old, DEFAULT_RETENTION, new Set([1])).sort((a, b) => a - b)).toEqual([
      0, 2, 3, 4,
    ]);
    expect(generationsToPrune(old, { version: 1, keepCount: 0, keepAgeMs: 0 })).toHaveLength(10);
    // An age of 0 keeps nothing by age, not even a file whose mtime reads a fraction of a
    // millisecond after Date.now() (written in the same millisecond as the prune began).
    const justNow = [{ generation: 7, ageMs: -0.4 }];
    expect(generationsToPrune(justNow, { version: 1, keepCount: 0, keepAgeMs: 0 })).toEqual([7]);
  });

  it('validates snapshot names and durations', () => {
    expect(snapshotNameProblem('before-upgrade.v2')).toBeNull();
    expect(snapshotNameProblem('12')).toMatch(/digits only/);
    expect(snapshotNameProblem('../x')).toMatch(/letters, digits/);
    expect(snapshotNameProblem('a b')).toMatch(/letters, digits/);
    expect(snapshotNameProblem('x'.repeat(65))).toMatch(/at most 64/);
    expect(parseDuration('24h')).toBe(24 * hour);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('5x')).toBeNull();
  });
});
