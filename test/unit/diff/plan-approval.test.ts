import { describe, expect, it } from 'vitest';
import { planApproval } from '../../../diff/plan-approval.js';
import type { ReviewRecord } from '../../../specs/orphans.js';
import type { LaneIdentity } from '../../../specs/review-identity.js';
import { PLAN_API_VERSION, type FlagAction, type Plan } from '../../../specs/plan.js';
import { abandonedLaneKey, pidKey, staleSessionKey } from '../../../specs/resource-keys.js';

const item = (key: string): ReviewRecord => ({
  id: 'r-0000abcd',
  key,
  subject: 'process',
  reason: 'orphan_unproven',
  detail: `the thing at ${key}`,
  status: 'pending',
  flaggedAt: '2026-11-30T12:00:00.000Z',
});

const flag = (key: string): FlagAction => ({
  kind: 'flag',
  key,
  wave: 4,
  reason: 'orphan_unproven',
  reviewId: 'r-0000abcd',
  subject: 'process',
  detail: 'x',
});

const planFlagging = (keys: string[], unavailable: string[] = []): Plan => ({
  apiVersion: PLAN_API_VERSION,
  kind: 'RecoveryPlan',
  workspaceId: 'ws',
  generation: 1,
  incarnation: 'i',
  fingerprint: 'f',
  actions: keys.map(flag),
  blocked: [],
  unavailable,
});

describe('planApproval: an approved review item becomes one plan action', () => {
  it('terminates exactly the reviewed process, fenced by its start time, never its group', () => {
    const key = pidKey(4242, 99);
    expect(planApproval(item(key), planFlagging([key]))).toEqual({
      ok: true,
      action: {
        kind: 'terminate',
        key,
        wave: 4,
        reason: 'review_approved',
        target: {
          type: 'process',
          pid: 4242,
          startTime: 99,
          pgid: -1,
          signal: 'SIGTERM',
          label: 'pid 4242',
        },
      },
    });
  });

  it('kills a stale session by its exact name and backend', () => {
    const key = staleSessionKey('zellij', 'a:b');
    const approval = planApproval(item(key), planFlagging([key]));
    expect(approval.ok && approval.action).toMatchObject({
      kind: 'terminate',
      target: { type: 'session', backend: 'zellij', name: 'a:b' },
    });
  });

  it('removes a lane worktree letting go only of the files its review listed, as the operator said', () => {
    const key = abandonedLaneKey('/r/.helios-worktrees/old');
    const lane: LaneIdentity = {
      type: 'lane',
      head: 'abc',
      branch: 'old',
      known: true,
      changed: [],
      changedCount: 0,
      ignored: ['.env'],
      skipWorktree: ['local.conf'],
      assumeUnchanged: ['big.bin'],
    };
    const reviewed = { ...item(key), subject: 'lane' as const, identity: lane };
    const fresh = { ...planFlagging([]), actions: [{ ...flag(key), identity: lane }] };
    const plain = planApproval(reviewed, fresh);
    expect(plain.ok && plain.action).toEqual({
      kind: 'remove',
      key,
      wave: 4,
      reason: 'review_approved',
      target: 'lane-worktree',
      path: '/r/.helios-worktrees/old',
      reviewId: reviewed.id,
    });
    const ignored = planApproval(reviewed, fresh, { discardIgnored: true });
    expect(ignored.ok && ignored.action).toMatchObject({ discardIgnored: ['.env'] });
    expect(ignored.ok && ignored.action).not.toHaveProperty('discardHidden');
    const hidden = planApproval(reviewed, fresh, { discardHiddenEdits: true });
    expect(hidden.ok && hidden.action).toMatchObject({ discardHidden: ['local.conf', 'big.bin'] });
    expect(hidden.ok && hidden.action).not.toHaveProperty('discardIgnored');
  });

  it('refuses while any observation is unavailable: blind means hands off', () => {
    const key = pidKey(1000, 5);
    const approval = planApproval(item(key), planFlagging([key], ['tmux sessions: timed out']));
    expect(approval).toEqual({
      ok: false,
      reason: expect.stringMatching(/tmux sessions: timed out; nothing is touched while blind/),
    });
  });

  it('refuses an item the fresh plan no longer flags (gone, live again or adopted)', () => {
    const approval = planApproval(item(pidKey(1000, 5)), planFlagging([pidKey(1000, 6)]));
    expect(approval).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no longer what was reviewed/),
      remedy: { code: 'dismiss_review', reviewId: 'r-0000abcd' },
    });
  });

  it('refuses a key it cannot act on', () => {
    const key = 'session:s1';
    expect(planApproval(item(key), planFlagging([key]))).toMatchObject({ ok: false });
  });
});
