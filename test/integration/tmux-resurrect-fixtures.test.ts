import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  const file = join(sandbox.root, 'last');
  writeFileSync(file, text.split(PREFIX).join(projects));
  const archive = join(FIXTURES, workspace, 'pane_contents.tar.gz');
  copyFileSync(archive, join(sandbox.root, 'pane_contents.tar.gz'));
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
    // The plugin's pane contents: the active pane of api (window 1, `less app.log`) and of ops.
    expect(imported.err).toContain('the scrollback of 2 sessions comes from');
    const checkpoint = JSON.parse(readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8'));
    const api = checkpoint.sessions.find((s: { sessionName: string }) => s.sessionName === 'api');
    expect(api.scrollback).toMatch(/^1\n2\n3\n/);

    const recovered = await runCli(['recover', '--no-wait', ...sandbox.cli]);
    expect(recovered.code, recovered.out + recovered.err).toBe(0);
    const projects = join(sandbox.root, 'projects');
    // Each session comes back in the cwd of its active pane of its active window.
    expect(tmuxSessions(sandbox).map((s) => [s.name, s.cwd])).toEqual([
      ['api', join(projects, 'logs')],
      ['my-project', projects],
      ['ops', projects],
    ]);
    // Replayed once in the new pane, before its shell starts.
    expect(sandbox.tmux('capture-pane', '-p', '-S', '-', '-t', '=api:')).toMatch(/^1\n2\n3\n/);
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
