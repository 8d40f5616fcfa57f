import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abandonedLaneKey,
  laneKey,
  parseResourceKey,
  pidKey,
  sessionIdOfKey,
  sessionKey,
  staleSessionKey,
  tempFileKey,
} from '../../../specs/resource-keys.js';
import { laneOfPath } from '../../../specs/lane-path.js';

const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.@+:-]{0,20}$/);
const path = fc.stringMatching(/^(\/[A-Za-z0-9_. :@-]{1,8}){1,4}$/);

describe('resource keys: one builder, one reader', () => {
  it('reads back every key it builds, whatever the names hold (even colons)', () => {
    fc.assert(
      fc.property(
        word,
        fc.nat(),
        fc.nat(),
        path,
        fc.constantFrom('tmux', 'zellij'),
        (id, pid, st, p, mux) => {
          expect(parseResourceKey(sessionKey(id))).toEqual({ type: 'session', sessionId: id });
          expect(parseResourceKey(laneKey(id))).toEqual({ type: 'lane', laneId: id });
          expect(parseResourceKey(pidKey(pid + 1, st))).toEqual({
            type: 'pid',
            pid: pid + 1,
            startTime: st,
          });
          expect(parseResourceKey(staleSessionKey(mux, id))).toEqual({
            type: 'stale-session',
            backend: mux,
            name: id,
          });
          expect(parseResourceKey(abandonedLaneKey(p))).toEqual({
            type: 'lane-abandoned',
            path: p,
          });
          expect(parseResourceKey(tempFileKey(p))).toEqual({ type: 'tmp', path: p });
        },
      ),
    );
  });

  it('refuses text no builder makes', () => {
    for (const text of [
      '',
      'session',
      'pid:0@1',
      'pid:12',
      'pid:-1@2',
      'stale-session:screen:x',
      'tmp:relative',
      'what:ever',
    ])
      expect(parseResourceKey(text), text).toBeNull();
    expect(sessionIdOfKey('lane:a')).toBeNull();
    expect(sessionIdOfKey(sessionKey('s1'))).toBe('s1');
  });

  it('finds the lane of a worktree and of a directory inside it, never of a plain repo path', () => {
    expect(laneOfPath('/r/.helios-worktrees/a b')).toEqual({
      repository: '/r',
      laneId: 'a b',
      worktreePath: '/r/.helios-worktrees/a b',
    });
    expect(laneOfPath('/r/.helios-worktrees/a/x/y')?.worktreePath).toBe('/r/.helios-worktrees/a');
    expect(laneOfPath('/r/.helios-worktrees')).toBeNull();
    expect(laneOfPath('relative/.helios-worktrees/a')).toBeNull();
  });
});
