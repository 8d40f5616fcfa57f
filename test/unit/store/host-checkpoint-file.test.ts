import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../../specs/checkpoint-codec.js';
import { hostChecksum, toHostCheckpoint } from '../../../specs/host-checkpoint.js';
import { convertHeliosV1 } from '../../../specs/import-helios-v1.js';
import { readHostCheckpoint, writeHostCheckpoint } from '../../../store/host-checkpoint-file.js';

const document = sealCheckpoint({
  workspaceId: 'w',
  generation: 3,
  createdAt: '2026-12-01T10:00:00.000Z',
  host: 'h',
  sessions: [
    {
      sessionId: 's1',
      terminalId: 'term-1',
      laneId: null,
      multiplexer: 'tmux',
      sessionName: 'helios-s1',
      workingDirectory: '/w/one',
      environment: { PROJECT: 'one' },
      shellCommand: ['/bin/bash', '-l'],
      scrollback: 'hello',
    },
  ],
  lanes: [],
  shareWorkers: [],
});

describe("heliosApp's own checkpoint, for the host", () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('comes back from a desired-state document and converts to the same sessions again', () => {
    const host = toHostCheckpoint(document);
    expect(host).toMatchObject({ version: 1, timestamp: '2026-12-01T10:00:00.000Z' });
    expect(host.checksum).toBe(hostChecksum(host.sessions));
    expect(host.sessions[0]).toEqual({
      sessionId: 's1',
      terminalId: 'term-1',
      laneId: null,
      workingDirectory: '/w/one',
      environmentVariables: { PROJECT: 'one' },
      scrollbackSnapshot: 'hello',
      zelijjSessionName: 'helios-s1',
      shellCommand: ['/bin/bash', '-l'],
    });
    const back = convertHeliosV1(host, {
      workspaceId: 'w',
      host: 'h',
      generation: 4,
      home: '/home/u',
      multiplexer: 'tmux',
    });
    const { checksum: _c, ...original } = document.sessions[0]!;
    expect(back.draft.sessions).toEqual([original]);
  });

  it('is written with its checksum and the previous one kept as the backup, read back with the fallback', async () => {
    dir = mkdtempSync(join(tmpdir(), 'helios-host-'));
    const file = join(dir, 'checkpoint.json');
    const { checksum: _c, ...first } = toHostCheckpoint(document);
    await writeHostCheckpoint(file, first);
    expect(await readHostCheckpoint(file)).toMatchObject({ ok: true, file, fellBack: null });
    await writeHostCheckpoint(file, { ...first, timestamp: '2026-12-01T11:00:00.000Z' });
    expect(JSON.parse(readFileSync(`${file}.backup`, 'utf8')).timestamp).toBe(
      '2026-12-01T10:00:00.000Z',
    );

    // A damaged main file: the backup is read, and why is said.
    writeFileSync(file, JSON.stringify({ ...first, checksum: 'deadbeef' }));
    const fallen = await readHostCheckpoint(file);
    expect(fallen).toMatchObject({
      ok: true,
      file: `${file}.backup`,
      fellBack: expect.stringMatching(/checksum "deadbeef" does not match/),
    });
    // A damaged file never becomes the backup.
    await writeHostCheckpoint(file, first);
    expect(JSON.parse(readFileSync(`${file}.backup`, 'utf8')).timestamp).toBe(
      '2026-12-01T10:00:00.000Z',
    );

    // The checksum is of the sessions as heliosApp wrote them, fields this reader does not know included.
    const extra = first.sessions.map((session) => ({ ...session, renderer: 'gpu' }));
    writeFileSync(
      file,
      JSON.stringify({
        ...first,
        sessions: extra,
        checksum: hostChecksum(extra as typeof first.sessions),
      }),
    );
    expect(await readHostCheckpoint(file)).toMatchObject({ ok: true, file, fellBack: null });

    writeFileSync(file, '{');
    writeFileSync(`${file}.backup`, '[]');
    expect(await readHostCheckpoint(file)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not valid JSON.*its backup: .*not a heliosApp v1 checkpoint/),
    });
  });
});
