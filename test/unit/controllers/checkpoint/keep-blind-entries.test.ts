import { describe, expect, it } from 'vitest';
import { keepBlindEntries } from '../../../../controllers/checkpoint/keep-blind-entries.js';
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
});
