import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, runCli, type Sandbox, waitFor } from '../support/sandbox.js';
import { LAYOUT_LISTING, layoutsUpToPaneIds, PANE_LISTING } from '../support/tmux-facts.js';

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

/** A fixture's expected listing with its paths moved into the sandbox. */
function expected(sandbox: Sandbox, workspace: string, file: string): string {
  return readFileSync(join(FIXTURES, workspace, file), 'utf8')
    .split(PREFIX)
    .join(join(sandbox.root, 'projects'));
}

describe.skipIf(!existsSync(FIXTURES))('import of real tmux-resurrect save files', () => {
  let sandbox: Sandbox;
  const shell = process.env.SHELL;
  beforeEach(() => {
    sandbox = createSandbox();
    // The fixtures' panes ran bash: the import gives each pane the user's shell.
    process.env.SHELL = '/bin/bash';
  });
  afterEach(() => {
    sandbox.cleanup();
    if (shell === undefined) delete process.env.SHELL;
    else process.env.SHELL = shell;
  });

  /** Imports and recovers `workspace`, then waits until its panes are what the plugin saved. */
  async function restore(workspace: string): Promise<{ imported: string; recovered: string }> {
    const file = placeFixture(sandbox, workspace);
    const imported = await runCli(['import', 'tmux-resurrect', file, ...sandbox.cli]);
    expect(imported.code, imported.err).toBe(0);
    const recovered = await runCli(['recover', '--no-wait', ...sandbox.cli]);
    expect(recovered.code, recovered.out + recovered.err).toBe(0);
    const want = expected(sandbox, workspace, 'expected-panes.txt');
    // The programs are typed into their panes' shells: wait until each has started.
    await waitFor(
      () => sandbox.tmux('list-panes', '-a', '-F', PANE_LISTING) === want,
      15_000,
      'panes',
    ).catch(() => expect(sandbox.tmux('list-panes', '-a', '-F', PANE_LISTING)).toBe(want));
    expect(layoutsUpToPaneIds(sandbox.tmux('list-windows', '-a', '-F', LAYOUT_LISTING))).toBe(
      layoutsUpToPaneIds(expected(sandbox, workspace, 'expected-layouts.txt')),
    );
    return { imported: imported.out + imported.err, recovered: recovered.out };
  }

  it('brings back workspace-a whole: windows, splits, zoom, names with spaces, vim, less and man', async () => {
    const projects = sandbox.dir('projects');
    mkdirSync(join(projects, 'api'), { recursive: true });
    mkdirSync(join(projects, 'logs'), { recursive: true });
    writeFileSync(join(projects, 'api', 'main.go'), 'package main\n');
    writeFileSync(
      join(projects, 'logs', 'app.log'),
      Array.from({ length: 200 }, (_, i) => `${i + 1}\n`).join(''),
    );
    const { imported } = await restore('workspace-a');
    expect(imported).toMatch(/Imported 3 sessions \(5 windows, 7 panes, 3 programs\)/);
    expect(imported).not.toMatch(/is imported as|not re-run|skipped/);
    // The plugin's pane contents (it archived 4 of the 7 panes) are each pane's own scrollback.
    expect(imported).toContain('the scrollback of 4 panes comes from');
    const checkpoint = JSON.parse(readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8'));
    const api = checkpoint.sessions.find((s: { sessionName: string }) => s.sessionName === 'api');
    expect(api.windows[1].panes[0].program).toEqual(['less', 'app.log']);
  });

  it('brings back workspace-b whole: a unicode session and window name, main-vertical, tail -f', async () => {
    const { imported } = await restore('workspace-b');
    expect(imported).toMatch(/Imported 2 sessions \(3 windows, 6 panes, 1 program\)/);
    expect(sandbox.tmux('list-sessions', '-F', '#{session_name}')).toBe('café\nweb\n');
  });
});
