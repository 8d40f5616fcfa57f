import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, runBuiltCli, type Sandbox } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

const helios = runBuiltCli;

describe('black box on real tmux: checkpoint, crash, plan, recover', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(() => sandbox.cleanup());

  it('brings sessions back with the same names, cwds and env, and then plans nothing', async () => {
    const specs = [
      { name: 'helios-alpha', cwd: sandbox.dir('alpha'), env: 'PROJECT=alpha' },
      { name: 'helios-beta', cwd: sandbox.dir('beta', 'src'), env: 'PROJECT=beta' },
      { name: 'notes', cwd: sandbox.dir('notes dir'), env: 'EDITOR_MODE=quiet words' },
    ];
    for (const spec of specs)
      sandbox.tmux('new-session', '-d', '-s', spec.name, '-c', spec.cwd, '-e', spec.env);
    await sandbox.panesReady();

    const checkpoint = await helios(['checkpoint', ...sandbox.cli]);
    expect(checkpoint.code, checkpoint.stderr).toBe(0);
    sandbox.tmux('kill-server');

    const plan = await helios(['plan', ...sandbox.cli]);
    expect(plan.code, plan.stderr).toBe(2);
    for (const spec of specs)
      expect(plan.stdout).toMatch(new RegExp(`\\+ respawn .*${spec.name} \\(tmux\\)`));

    const recovered = await helios(['recover', ...sandbox.cli]);
    expect(recovered.code, recovered.stdout + recovered.stderr).toBe(0);
    expect(recovered.stdout).toContain('Recovery complete (');

    const sessions = tmuxSessions(sandbox);
    expect(sessions.map((s) => s.name)).toEqual(['helios-alpha', 'helios-beta', 'notes']);
    for (const spec of specs) {
      const session = sessions.find((s) => s.name === spec.name)!;
      expect(session.cwd).toBe(spec.cwd);
      const [key, value] = spec.env.split(/=(.*)/s) as [string, string];
      expect(session.env[key]).toBe(value);
      expect(session.env.HELIOS_WORKSPACE_ID).toBe(sandbox.workspaceId);
      expect(session.env.HELIOS_ROLE).toBe('shell');
      expect(session.env.HELIOS_SESSION_ID).toBeTruthy();
    }
    const again = await helios(['plan', ...sandbox.cli]);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('No changes');
  });

  it('answers bad input with one line and exit 1', async () => {
    const unknown = await helios(['plan', '--no-such-option', ...sandbox.cli]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.split('\n')[0]).toMatch(
      /^helios-recover: Unknown option '--no-such-option'/,
    );
    const missing = await helios([
      'recover',
      '--plan',
      `${sandbox.root}/missing.json`,
      ...sandbox.cli,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^helios-recover: cannot read plan .*missing\.json: ENOENT/);
    const noCheckpoint = await helios(['plan', ...sandbox.cli]);
    expect(noCheckpoint.code).toBe(1);
    expect(noCheckpoint.stderr).toMatch(/^helios-recover: no checkpoint in /);
  });
});
