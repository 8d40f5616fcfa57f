import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, runCli, type Sandbox } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

/** Save files written by the real tmux-resurrect plugin (shared/fixtures, beside the clone). */
const FIXTURES = resolve(
  fileURLToPath(new URL('../../', import.meta.url)),
  '../shared/fixtures/tmux-resurrect',
);
const PREFIX = '/home/dev/projects';

/**
 * A fixture's save file with its paths moved into the sandbox, and every directory it names
 * created there (as its README asks of a test).
 */
function placeFixture(sandbox: Sandbox, workspace: string): string {
  const text = readFileSync(join(FIXTURES, workspace, 'last'), 'utf8');
  const projects = sandbox.dir('projects');
  for (const line of readFileSync(join(FIXTURES, workspace, 'expected-panes.txt'), 'utf8')
    .split('\n')
    .filter(Boolean)) {
    const cwd = line.split('|')[4]!;
    mkdirSync(cwd.replace(PREFIX, projects), { recursive: true });
  }
  const file = join(sandbox.root, `${workspace}.last`);
  writeFileSync(file, text.split(PREFIX).join(projects));
  return file;
}

describe.skipIf(!existsSync(FIXTURES))('import of real tmux-resurrect save files', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(() => sandbox.cleanup());

  it('brings back every session of workspace-a, a name and a cwd with spaces included', async () => {
    const file = placeFixture(sandbox, 'workspace-a');
    const imported = await runCli(['import', 'tmux-resurrect', file, ...sandbox.cli]);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toMatch(/Imported 3 sessions/);
    expect(imported.err).toContain('session "my project" is imported as my-project');
    expect(imported.err).toContain('session api: "less" is not re-run; its shell is');

    const recovered = await runCli(['recover', '--no-wait', ...sandbox.cli]);
    expect(recovered.code, recovered.out + recovered.err).toBe(0);
    const projects = join(sandbox.root, 'projects');
    // Each session comes back in the cwd of its active pane of its active window.
    expect(tmuxSessions(sandbox).map((s) => [s.name, s.cwd])).toEqual([
      ['api', join(projects, 'logs')],
      ['my-project', projects],
      ['ops', projects],
    ]);
  });

  it("keeps a unicode name as close as it can and un-escapes the plugin's cwds (workspace-b)", async () => {
    const file = placeFixture(sandbox, 'workspace-b');
    const imported = await runCli(['import', 'tmux-resurrect', file, ...sandbox.cli]);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.err).toContain('session "café" is imported as cafe');
    expect((await runCli(['recover', '--no-wait', ...sandbox.cli])).code).toBe(0);
    const projects = join(sandbox.root, 'projects');
    expect(tmuxSessions(sandbox).map((s) => [s.name, s.cwd])).toEqual([
      ['cafe', join(projects, 'docs')],
      ['web', join(projects, 'web')],
    ]);
  });
});
