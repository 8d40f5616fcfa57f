import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../../specs/checkpoint-codec.js';
import {
  loadNewestCheckpoint,
  nextGeneration,
  writeCheckpoint,
} from '../../../store/checkpoint-store.js';
import { writeRetention } from '../../../store/checkpoint-generations.js';

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

describe('checkpoint store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'helios-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to write a document that would not read back whole, and keeps the current one', async () => {
    await writeCheckpoint(dir, documentOf(0));
    const before = readFileSync(join(dir, 'checkpoint.json'), 'utf8');
    const environment = JSON.parse('{"__proto__":{"a":"b"}}') as Record<string, string>;
    const poisoned = sealCheckpoint({
      workspaceId: 'ws',
      generation: 1,
      createdAt: '2026-11-23T10:00:00.000Z',
      host: 'h',
      sessions: [
        {
          sessionId: 's1',
          terminalId: 't1',
          laneId: null,
          multiplexer: 'tmux',
          sessionName: 'helios-s1',
          workingDirectory: '/tmp',
          environment: { ...environment },
          shellCommand: ['/bin/sh'],
          scrollback: '',
        },
      ],
      lanes: [],
      shareWorkers: [],
    });
    await expect(writeCheckpoint(dir, poisoned)).rejects.toThrow(/does not read back: session:s1/);
    expect(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).toBe(before);
  });

  it('keeps the previous generations beside checkpoint.json, the last 5 only (age off), and no temp file', async () => {
    await writeRetention(dir, { version: 1, keepCount: 5, keepAgeMs: 0 });
    for (let generation = 0; generation < 8; generation += 1) {
      expect(await nextGeneration(dir)).toBe(generation);
      await writeCheckpoint(dir, documentOf(generation));
    }
    expect(
      readdirSync(dir)
        .filter((name) => name !== 'retention.json')
        .sort(),
    ).toEqual([
      'checkpoint.2.json',
      'checkpoint.3.json',
      'checkpoint.4.json',
      'checkpoint.5.json',
      'checkpoint.6.json',
      'checkpoint.json',
    ]);
    const loaded = await loadNewestCheckpoint(dir);
    expect(loaded.ok && loaded.desired.generation).toBe(7);
  });

  it('falls back to the newest valid generation and reports what it skipped', async () => {
    await writeCheckpoint(dir, documentOf(0));
    await writeCheckpoint(dir, documentOf(1));
    await writeCheckpoint(dir, documentOf(2));
    writeFileSync(join(dir, 'checkpoint.json'), 'garbage');
    writeFileSync(
      join(dir, 'checkpoint.1.json'),
      JSON.stringify({ ...documentOf(1), apiVersion: 'helios.recovery/v0' }),
    );
    const loaded = await loadNewestCheckpoint(dir);
    expect(loaded.ok && loaded.desired.generation).toBe(0);
    expect(loaded.skipped.map((s) => [s.file.split('/').pop(), s.reason.split(' (')[0]])).toEqual([
      ['checkpoint.json', 'not valid JSON'],
      ['checkpoint.1.json', 'unknown apiVersion "helios.recovery/v0"'],
    ]);
    expect(loaded.found).toBe(3);
  });

  it("numbers the next generation above every generation file's name, a torn one too", async () => {
    await writeCheckpoint(dir, documentOf(3));
    // A torn previous generation still holds its number: it is never written again.
    writeFileSync(join(dir, 'checkpoint.8.json'), '{"generation": 2, torn');
    expect(await nextGeneration(dir)).toBe(9);
    writeFileSync(join(dir, 'snapshot.before-upgrade.json'), JSON.stringify(documentOf(12)));
    expect(await nextGeneration(dir)).toBe(13);
    writeFileSync(join(dir, 'checkpoint.json'), JSON.stringify(documentOf(20)));
    expect(await nextGeneration(dir)).toBe(21);
    // A name beyond what a generation can be is a stray file: only what it holds counts.
    writeFileSync(join(dir, 'checkpoint.9007199254740992.json'), 'stray');
    expect(await nextGeneration(dir)).toBe(21);
  });

  it('never reads a leftover checkpoint.json.tmp', async () => {
    await writeCheckpoint(dir, documentOf(4));
    writeFileSync(join(dir, 'checkpoint.json.tmp'), JSON.stringify(documentOf(9)));
    const loaded = await loadNewestCheckpoint(dir);
    expect(loaded.ok && loaded.desired.generation).toBe(4);
  });

  it('says clearly when there is no checkpoint at all', async () => {
    const loaded = await loadNewestCheckpoint(join(dir, 'missing'));
    expect(loaded).toMatchObject({ ok: false, found: 0 });
    expect(!loaded.ok && loaded.reason).toMatch(/^no checkpoint in /);
  });
});
