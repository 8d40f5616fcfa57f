import { describe, expect, it } from 'vitest';
import { withWorkspaceFlags, workspaceFlags } from '../../../bin/paste-flags.js';

describe('suggested commands can be pasted as they are', () => {
  it('carries the options that select the workspace, quoted, and nothing else', () => {
    const flags = workspaceFlags([
      '--no-wait',
      '--workspace',
      'ws',
      '--state-dir=/tmp/my state',
      '-L',
      'sock',
      '--backend',
      'auto',
      '--timeout',
      '500',
    ]);
    expect(flags).toBe("-w ws --state-dir '/tmp/my state' -L sock");
    expect(
      withWorkspaceFlags(
        'then run `helios-recover recover` again; `helios-recover orphans approve r-1 --discard-ignored`',
        flags,
      ),
    ).toBe(
      "then run `helios-recover recover -w ws --state-dir '/tmp/my state' -L sock` again; `helios-recover orphans approve -w ws --state-dir '/tmp/my state' -L sock r-1 --discard-ignored`",
    );
    expect(withWorkspaceFlags('`helios-recover plan`', '')).toBe('`helios-recover plan`');
  });
});
