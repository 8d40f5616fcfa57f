import { describe, expect, it } from 'vitest';
import { withholdSecrets } from '../../../../controllers/checkpoint/withhold-secrets.js';
import type { CapturedSession } from '../../../../specs/actual-state.js';

const pane = (index: number, extra: Record<string, unknown>) => ({
  index,
  workingDirectory: '/w',
  active: index === 0,
  scrollback: '',
  ...extra,
});

describe('the secrets policy on panes', () => {
  it('keeps no program or title that holds a credential, and no secret variable of a pane', () => {
    const session: CapturedSession = {
      backend: 'tmux',
      name: 'db',
      workspaceId: null,
      sessionId: null,
      cwd: '/w',
      environment: {},
      shellCommand: ['bash'],
      scrollback: '',
      windows: [
        {
          index: 0,
          name: 'w',
          active: true,
          zoomed: false,
          panes: [
            pane(0, { program: ['mysql', '-uroot', '-pS3cret'], title: 'mysql -pS3cret' }),
            pane(1, { program: ['curl', '-u', 'admin:pw', 'https://x'] }),
            pane(2, { program: ['psql', 'postgres://u:hunter2@db/x'] }),
            pane(3, { program: ['tool', '--token=abc'] }),
            pane(4, {
              program: ['less', 'notes.md'],
              title: 'less notes.md',
              environment: { DB_PASSWORD: 'x', EDITOR: 'vim' },
            }),
          ],
        },
      ],
    };
    const { sessions, withheld } = withholdSecrets([session], { allowEnv: [] });
    const panes = sessions[0]!.windows![0]!.panes;
    expect(panes.map((p) => p.program ?? null)).toEqual([
      null,
      null,
      null,
      null,
      ['less', 'notes.md'],
    ]);
    expect(panes[0]!.title).toBeUndefined();
    expect(panes[4]).toMatchObject({ title: 'less notes.md', environment: { EDITOR: 'vim' } });
    expect(withheld.secretNames).toEqual(['DB_PASSWORD']);
    expect(withheld.scrollbackSecrets).toBeGreaterThanOrEqual(5);
  });
});
