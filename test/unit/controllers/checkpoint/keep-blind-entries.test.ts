import { describe, expect, it } from 'vitest';
import {
  keepBlindEntries,
  keepLostEntries,
} from '../../../../controllers/checkpoint/keep-blind-entries.js';
import { withChecksum } from '../../../../specs/canonical-json.js';
import type { SessionEntrySpec } from '../../../../specs/checkpoint-spec.js';
import { aSession } from '../../../support/builders.js';

const REASON = 'the zellij server of session helios-a (pid 42) is stopped';

describe('keepBlindEntries: a session a checkpoint cannot see keeps its previous entry', () => {
  const previous = [
    withChecksum(aSession({ sessionId: 'a', multiplexer: 'zellij', scrollback: 'old screen' })),
    withChecksum(aSession({ sessionId: 'b', multiplexer: 'zellij' })),
  ] as SessionEntrySpec[];
  const blindOn = (name: string) =>
    [{ status: 'ok' as const, items: [], blind: [{ name, reason: REASON }] }] as const;

  it('keeps the entry exactly as it was (its checksum is sealed again) and says so', () => {
    const warnings: string[] = [];
    const kept = keepBlindEntries(['zellij'], blindOn('helios-a'), previous, 7, warnings);
    const { checksum: _checksum, ...asItWas } = previous[0]!;
    expect(kept).toEqual([asItWas]);
    expect(warnings).toEqual([
      `zellij session helios-a was not observed (${REASON}): its entry from checkpoint generation 7 is kept as it was`,
    ]);
  });

  it('names it as not recorded when there is no earlier entry to keep', () => {
    const warnings: string[] = [];
    const unrecorded: string[] = [];
    expect(
      keepBlindEntries(['zellij'], blindOn('helios-z'), previous, 7, warnings, unrecorded),
    ).toEqual([]);
    expect(warnings).toEqual([]);
    expect(unrecorded).toEqual([
      expect.stringMatching(/^"helios-z" \(zellij\): not observed .*and in no earlier checkpoint/),
    ]);
  });

  it('keeps nothing when everything was seen, or the backend was not observed at all', () => {
    const warnings: string[] = [];
    const observations = [
      { status: 'ok' as const, items: [] },
      { status: 'unavailable' as const, reason: 'tmux timed out' },
    ];
    expect(keepBlindEntries(['zellij', 'tmux'], observations, previous, 7, warnings)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('keeps every entry of a multiplexer that could not be observed at all', () => {
    const warnings: string[] = [];
    const tmuxEntry = withChecksum(aSession({ sessionId: 't' })) as SessionEntrySpec;
    const observations = [
      { status: 'ok' as const, items: [] },
      { status: 'unavailable' as const, reason: 'tmux timed out' },
    ];
    const kept = keepBlindEntries(['zellij', 'tmux'], observations, [tmuxEntry], 3, warnings);
    expect(kept.map((draft) => draft.sessionName)).toEqual(['helios-t']);
    expect(warnings).toEqual([
      'tmux was not observed: its entries from checkpoint generation 3 are kept as they were',
    ]);
  });
});

describe('keepLostEntries: closed while its server runs, or lost with it', () => {
  const previous = ['a', 'b'].map((id) =>
    withChecksum(aSession({ sessionId: id })),
  ) as SessionEntrySpec[];
  const server = { pid: 10, startTime: 5 };
  const running = (identity: { pid: number; startTime: number } | undefined) => [
    {
      status: 'ok' as const,
      items: [{ name: 'helios-a' }] as never[],
      ...(identity ? { server: identity } : {}),
    },
  ];
  const lost = (
    observations: ReturnType<typeof running>,
    rules: Parameters<typeof keepLostEntries>[4],
  ) =>
    keepLostEntries(['tmux'], observations, previous, new Set(), rules, []).map((d) => d.sessionId);

  it('drops one gone from the server the previous checkpoint saw', () => {
    expect(lost(running(server), { previousServers: { tmux: server } })).toEqual([]);
  });
  it('keeps one whose server is another, or unknown, or was kept as lost before', () => {
    expect(lost(running({ pid: 11, startTime: 6 }), { previousServers: { tmux: server } })).toEqual(
      ['b'],
    );
    expect(lost(running(server), { previousServers: null })).toEqual(['b']);
    expect(lost(running(undefined), { previousServers: { tmux: server } })).toEqual(['b']);
    expect(
      lost(running(server), { previousServers: { tmux: server, lost: ['tmux:helios-b'] } }),
    ).toEqual(['b']);
  });
  it('keeps what the caller still restores, and forgets what it drops', () => {
    expect(
      lost(running(server), { previousServers: { tmux: server }, keep: new Set(['b']) }),
    ).toEqual(['b']);
    expect(
      lost(running(undefined), { previousServers: null, drop: new Set(['helios-b']) }),
    ).toEqual([]);
  });
});
