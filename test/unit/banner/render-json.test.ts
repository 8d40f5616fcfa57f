import { describe, expect, it } from 'vitest';
import { INITIAL_BANNER } from '../../../banner/banner-state.js';
import { cliRemedyText, type WorkspaceFlags } from '../../../banner/render-remedy.js';
import { createJsonRenderer, jsonWithSuggestions } from '../../../banner/render-json.js';
import type { Remedy } from '../../../specs/remedies.js';
import { anEvent } from '../../support/events.js';

/** A workspace whose options need quoting: a space, a quote, a socket name with a space. */
const FLAGS: WorkspaceFlags = {
  workspace: 'ws',
  stateDir: "/tmp/it's mine",
  tmuxSocket: 'my sock',
  backend: 'tmux',
};
const F = `-w ws --state-dir '/tmp/it'\\''s mine' -L 'my sock' --backend tmux`;
const RECOVER = `\`helios-recover recover ${F}\``;

describe('--json carries the remedy and its suggestion', () => {
  it('adds the rendered text right after every remedy, at any depth, and changes nothing else', () => {
    const remedy: Remedy = { code: 'create_directory', path: '/gone', sessionName: 'helios-a' };
    const report = {
      type: 'report',
      sessions: [{ sessionId: 'a', reason: 'cwd_missing', remedy, message: 'gone' }],
      plan: { blocked: [{ key: 'session:a', remedy }] },
      other: { remedy: 'not a remedy' },
    };
    const parsed = JSON.parse(jsonWithSuggestions(report, cliRemedyText(FLAGS)));
    const text = `Recreate /gone and run ${RECOVER} again, or take a new checkpoint without helios-a.`;
    expect(parsed).toEqual({
      ...report,
      sessions: [{ ...report.sessions[0], suggestion: text }],
      plan: { blocked: [{ key: 'session:a', remedy, suggestion: text }] },
    });
    expect(Object.keys(parsed.sessions[0])).toEqual([
      'sessionId',
      'reason',
      'remedy',
      'suggestion',
      'message',
    ]);
  });

  it("gives a failed stage's remedy its text too", () => {
    const report = { stage: 'INVENTORYING_FAILED', failureRemedy: { code: 'replan' } };
    expect(JSON.parse(jsonWithSuggestions(report))).toEqual({
      ...report,
      failureSuggestion:
        'Run `helios-recover plan` to see the current state, then `helios-recover recover` again.',
    });
  });

  it('does so for every event of the JSON banner', () => {
    const event = anEvent('recovery.session.failed', {
      sessionId: 'a',
      sessionName: 'helios-a',
      reason: 'command_not_found',
      message: 'nope',
      remedy: { code: 'fix_shell_command', sessionName: 'helios-a' },
    });
    const line = createJsonRenderer(cliRemedyText(FLAGS)).render(
      event,
      INITIAL_BANNER,
      INITIAL_BANNER,
    );
    expect(JSON.parse(line).payload.suggestion).toBe(
      `Fix the shellCommand of helios-a in the checkpoint (or install the program), then run ${RECOVER} again.`,
    );
  });
});
