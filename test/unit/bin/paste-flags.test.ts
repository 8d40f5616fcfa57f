import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../../bin/cli-args.js';
import { workspaceFlags } from '../../../bin/paste-flags.js';

describe('suggested commands can be pasted as they are', () => {
  it('takes the options that select the workspace from the parsed argv, and nothing else', () => {
    const { values } = parseCommandArgs(
      [
        '--workspace',
        'ws',
        '--state-dir=/tmp/my state',
        '-L',
        'sock',
        '--backend',
        'auto',
        '--timeout',
        '500',
        '--json',
      ],
      {},
    );
    expect(workspaceFlags(values)).toEqual({
      workspace: 'ws',
      stateDir: '/tmp/my state',
      tmuxSocket: 'sock',
      tmuxSocketPath: undefined,
      backend: 'auto',
    });
    expect(workspaceFlags(parseCommandArgs([], {}).values)).toEqual({});
  });
});
