import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../../specs/checkpoint-codec.js';
import type { CheckpointSpec } from '../../../specs/checkpoint-spec.js';
import {
  linkSnapshot,
  pruneGenerations,
  writeRetention,
} from '../../../store/checkpoint-generations.js';
import { loadNewestCheckpoint, writeCheckpoint } from '../../../store/checkpoint-store.js';

const documentOf = (generation: number) =>
  sealCheckpoint({
    workspaceId: 'ws',
    generation,
    createdAt: '2026-11-23T10:00:00.000Z',
    host: 'h',
    sessions: [],
    lanes: [],
    shareWorkers: [],
  });

const DAY_AGO = (Date.now() - 2 * 86_400_000) / 1000;

describe('checkpoint generations on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'helios-generations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes generations 0..n-1, each made old (2 days) once it is a previous one. */
  async function writeOld(n: number) {
    for (let generation = 0; generation < n; generation += 1) {
      await writeCheckpoint(dir, documentOf(generation));
      for (const name of readdirSync(dir))
        if (/^checkpoint\.\d+\.json$/.test(name)) utimesSync(join(dir, name), DAY_AGO, DAY_AGO);
    }
  }
  const numbered = () =>
    readdirSync(dir)
      .filter((name) => /^checkpoint\.\d+\.json$/.test(name))
      .map((name) => Number(name.split('.')[1]))
      .sort((a, b) => a - b);

  it('keeps every generation younger than a day beyond the last 5, old ones by count only', async () => {
    for (let generation = 0; generation < 9; generation += 1)
      await writeCheckpoint(dir, documentOf(generation));
    expect(numbered()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const generation of numbered())
      utimesSync(join(dir, `checkpoint.${generation}.json`), DAY_AGO, DAY_AGO);
    await writeCheckpoint(dir, documentOf(9));
    expect(numbered()).toEqual([4, 5, 6, 7, 8]);
  });

  it('prunes by the saved policy and never removes a named snapshot', async () => {
    await writeRetention(dir, { version: 1, keepCount: 2, keepAgeMs: 0 });
    await writeCheckpoint(dir, documentOf(0));
    await linkSnapshot(dir, 'first', join(dir, 'checkpoint.json'));
    await expect(linkSnapshot(dir, 'first', join(dir, 'checkpoint.json'))).rejects.toThrow(
      /exists already/,
    );
    for (let generation = 1; generation < 6; generation += 1)
      await writeCheckpoint(dir, documentOf(generation));
    expect(numbered()).toEqual([3, 4]);
    const snapshot = JSON.parse(readFileSync(join(dir, 'snapshot.first.json'), 'utf8')) as {
      generation: number;
    };
    expect(snapshot.generation).toBe(0);
  });

  it('never promotes a 0-byte or unreadable document, and never prunes the newest valid one under a torn current', async () => {
    await writeOld(4);
    const before = readFileSync(join(dir, 'checkpoint.json'), 'utf8');
    // A document that would not read back is refused: the current file stays as it was.
    await expect(writeCheckpoint(dir, {} as CheckpointSpec)).rejects.toThrow(/does not read back/);
    expect(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).toBe(before);
    // A crash left checkpoint.json empty: it is skipped, generation 2 is used.
    writeFileSync(join(dir, 'checkpoint.json'), '');
    const loaded = await loadNewestCheckpoint(dir);
    expect(loaded.ok && loaded.desired.generation).toBe(2);
    expect(loaded.skipped.map((s) => s.reason)).toEqual(['empty (0 bytes)']);
    // Pruning to nothing by the policy still keeps that newest valid generation.
    await writeRetention(dir, { version: 1, keepCount: 0, keepAgeMs: 0 });
    writeFileSync(join(dir, 'checkpoint.1.json'), 'torn');
    await pruneGenerations(dir);
    expect(numbered()).toEqual([2]);
    expect((await loadNewestCheckpoint(dir)).ok).toBe(true);
  });
});
