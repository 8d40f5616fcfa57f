import { describe, expect, it } from 'vitest';
import { windowsOf } from '../../../specs/session-windows.js';
import { canonicalJson, computeChecksum } from '../../../specs/canonical-json.js';
import {
  decodeCheckpoint,
  sealCheckpoint,
  truncateScrollback,
} from '../../../specs/checkpoint-codec.js';
import {
  convertHeliosV1,
  duplicateProblem,
  HeliosV1CheckpointSpec,
} from '../../../specs/import-helios-v1.js';

const session = (id: string, extra: Record<string, unknown> = {}) => ({
  sessionId: id,
  terminalId: `t-${id}`,
  laneId: null,
  multiplexer: 'tmux' as const,
  sessionName: `helios-${id}`,
  workingDirectory: `/work/${id}`,
  environment: { FOO: 'bar' },
  shellCommand: ['/bin/bash', '-l'],
  scrollback: 'hello',
  ...extra,
});

const draft = (sessions = [session('s1'), session('s2'), session('s3')]) => ({
  workspaceId: 'ws-demo',
  generation: 7,
  createdAt: '2026-11-23T10:00:00.000Z',
  host: 'devbox',
  sessions,
  lanes: [
    {
      laneId: 'lane-a',
      repository: '/repo',
      worktreePath: '/repo/.helios-worktrees/lane-a',
      branch: 'helios/lane/lane-a',
    },
  ],
  shareWorkers: [],
});

describe('canonical JSON and checksums', () => {
  it('sorts keys recursively, drops whitespace and the checksum field', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 2, y: 1 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[1,{"y":1,"z":2}]},"b":1}',
    );
    expect(computeChecksum({ a: 1, checksum: 'ignored' })).toBe(computeChecksum({ a: 1 }));
    expect(computeChecksum({ a: 1 })).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('decodeCheckpoint', () => {
  it('reads a v1 document as it is: each session one window with one pane (the upgrade)', () => {
    const { checksum: _c, ...v2 } = sealCheckpoint(draft());
    const v1 = { ...v2, apiVersion: 'helios.recovery/v1' };
    const result = decodeCheckpoint(JSON.stringify({ ...v1, checksum: computeChecksum(v1) }));
    if (!result.ok) throw new Error(result.reason);
    expect(result.desired.corrupt).toEqual([]);
    expect(result.desired.warnings).toEqual([]);
    const [session] = result.desired.sessions;
    expect(windowsOf(session!)).toEqual([
      expect.objectContaining({ index: 0, panes: [expect.objectContaining({ index: 0 })] }),
    ]);
    expect(sealCheckpoint(draft()).apiVersion).toBe('helios.recovery/v2');
  });

  it('round-trips a sealed document without corruption or warnings', () => {
    const result = decodeCheckpoint(JSON.stringify(sealCheckpoint(draft())));
    expect(result.ok && result.desired.sessions.map((s) => s.sessionId)).toEqual([
      's1',
      's2',
      's3',
    ]);
    expect(result.ok && [result.desired.corrupt, result.desired.warnings]).toEqual([[], []]);
  });

  it('isolates an entry whose checksum does not match and warns about the document checksum', () => {
    const document = sealCheckpoint(draft());
    const tampered = {
      ...document,
      sessions: document.sessions.map((s, i) =>
        i === 1 ? { ...s, workingDirectory: '/evil' } : s,
      ),
    };
    const result = decodeCheckpoint(JSON.stringify(tampered));
    if (!result.ok) throw new Error(result.reason);
    expect(result.desired.sessions.map((s) => s.sessionId)).toEqual(['s1', 's3']);
    expect(result.desired.corrupt).toEqual([
      { key: 'session:s2', kind: 'session', id: 's2', index: 1, detail: 'checksum mismatch' },
    ]);
    expect(result.desired.warnings[0]).toMatch(/document checksum does not match/);
  });

  it('isolates entries that break the schema, even without a readable id', () => {
    const document = sealCheckpoint(draft());
    const broken = { ...document, sessions: [...document.sessions, { nonsense: true }, 42] };
    const result = decodeCheckpoint(JSON.stringify(broken));
    if (!result.ok) throw new Error(result.reason);
    expect(result.desired.corrupt.map((c) => c.key)).toEqual(['session:#3', 'session:#4']);
  });

  it('rejects duplicate session ids and names as corrupt, keeping the first', () => {
    const result = decodeCheckpoint(
      JSON.stringify(
        sealCheckpoint(
          draft([session('s1'), session('s1'), session('s2', { sessionName: 'helios-s1' })]),
        ),
      ),
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.desired.sessions.map((s) => s.sessionId)).toEqual(['s1']);
    expect(result.desired.corrupt.map((c) => c.detail)).toEqual([
      'duplicate sessionId s1',
      'session name helios-s1 is already used by s1',
    ]);
  });

  it('refuses documents that do not parse, have another apiVersion or a broken envelope', () => {
    expect(decodeCheckpoint('{')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not valid JSON/),
    });
    expect(decodeCheckpoint('[]')).toEqual({ ok: false, reason: 'not a JSON object' });
    expect(
      decodeCheckpoint(JSON.stringify({ ...sealCheckpoint(draft()), apiVersion: 'v2' })),
    ).toEqual({ ok: false, reason: 'unknown apiVersion "v2"' });
    expect(
      decodeCheckpoint(JSON.stringify({ ...sealCheckpoint(draft()), generation: -1 })),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/^generation:/) });
  });

  it('truncates scrollback from the start to 64 KiB without splitting a character', () => {
    const long = `${'é'.repeat(40_000)}END`;
    const kept = truncateScrollback(long);
    expect(Buffer.byteLength(kept, 'utf8')).toBeLessThanOrEqual(64 * 1024);
    expect(kept.endsWith('END')).toBe(true);
    expect(kept.startsWith('é')).toBe(true);
    expect(truncateScrollback('short')).toBe('short');
  });
});

describe('import of the heliosApp v1 checkpoint', () => {
  it('converts every field losslessly into a valid v1 document', () => {
    const source = HeliosV1CheckpointSpec.parse({
      version: 1,
      timestamp: 1_764_000_000_000,
      checksum: 'abc',
      sessions: [
        {
          sessionId: 's1',
          terminalId: 't1',
          laneId: 'lane-a',
          workingDirectory: '/w',
          environmentVariables: { A: '1' },
          scrollbackSnapshot: 'out',
          zelijjSessionName: 'helios-s1',
          shellCommand: 'bash',
        },
      ],
    });
    const converted = convertHeliosV1(source, {
      workspaceId: 'ws',
      host: 'h',
      generation: 0,
      home: '/home/me',
    });
    expect(converted).toMatchObject({ failed: [], normalised: [] });
    const document = sealCheckpoint(converted.draft);
    expect(document.sessions[0]).toMatchObject({
      sessionId: 's1',
      terminalId: 't1',
      laneId: 'lane-a',
      multiplexer: 'zellij',
      sessionName: 'helios-s1',
      workingDirectory: '/w',
      environment: { A: '1' },
      shellCommand: ['bash'],
      scrollback: 'out',
    });
    expect(document.createdAt).toBe(new Date(1_764_000_000_000).toISOString());
  });

  it('normalises what heliosApp accepts, fails a bad session alone, and names duplicates', () => {
    const base = {
      sessionId: 's1',
      terminalId: 't1',
      laneId: '',
      workingDirectory: '~/proj',
      environmentVariables: { 'BASH_FUNC_module%%': '() { :; }', KEEP: 'y' },
      scrollbackSnapshot: '',
      zelijjSessionName: 'helios-s1',
      shellCommand: ['bash'],
    };
    const source = HeliosV1CheckpointSpec.parse({
      version: 1,
      timestamp: 0,
      checksum: 'x',
      sessions: [base, { ...base, sessionId: 's2', zelijjSessionName: 'bad name' }],
    });
    const converted = convertHeliosV1(source, {
      workspaceId: 'ws',
      host: 'h',
      generation: 0,
      home: '/home/me',
    });
    expect(converted.draft.sessions).toEqual([
      expect.objectContaining({
        sessionId: 's1',
        laneId: null,
        workingDirectory: '/home/me/proj',
        environment: { KEEP: 'y' },
      }),
    ]);
    expect(converted.failed).toEqual([expect.stringMatching(/^session s2: sessionName: /)]);
    expect(converted.normalised).toEqual([
      'session s1: empty laneId read as no lane',
      'session s1: workingDirectory ~/proj expanded to /home/me/proj',
      'session s1: environment variable BASH_FUNC_module%% dropped (no shell can export it)',
      'session s2: empty laneId read as no lane',
      'session s2: workingDirectory ~/proj expanded to /home/me/proj',
      'session s2: environment variable BASH_FUNC_module%% dropped (no shell can export it)',
    ]);
    expect(
      duplicateProblem([
        converted.draft.sessions[0]!,
        { ...converted.draft.sessions[0]!, sessionId: 's3' },
      ]),
    ).toBe('sessions s1 and s3 share the name helios-s1');
  });
});

describe('session ids from names', () => {
  it('strips the helios- prefix, replaces what an id cannot hold, stays unique and short enough', async () => {
    const { stripSessionPrefix, uniqueSessionId } =
      await import('../../../specs/checkpoint-spec.js');
    const used = new Set<string>();
    expect(uniqueSessionId(stripSessionPrefix('helios-s1'), used)).toBe('s1');
    expect(uniqueSessionId(stripSessionPrefix('helios-s1'), used)).toBe('s1-2');
    expect(uniqueSessionId(stripSessionPrefix('helios-s1'), used)).toBe('s1-3');
    expect(uniqueSessionId('my=work', used)).toBe('my-work');
    expect(uniqueSessionId('=', used)).toBe('session');
    const long = uniqueSessionId('x'.repeat(300), used);
    expect(long.length).toBeLessThanOrEqual(128);
    expect(uniqueSessionId('x'.repeat(300), used)).toBe(`${long}-2`);
  });
});
