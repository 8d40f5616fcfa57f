import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPaneContents } from '../../controllers/import/read-pane-contents.js';

describe('tmux-resurrect pane contents: a hostile archive is read in memory and bounded', () => {
  let dir: string;
  const archive = (name: string, files: Record<string, string>, extra: string[] = []) => {
    const src = join(dir, `src-${name}`);
    mkdirSync(join(src, 'pane_contents'), { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(src, file), text);
    const out = join(dir, `${name}.tar.gz`);
    execFileSync('tar', ['czf', out, '-C', src, ...extra, ...Object.keys(files)]);
    return out;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'helios-panes-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps only pane files, and writes nothing to disk', async () => {
    const file = archive('ok', {
      'pane_contents/pane-s:0.0': 'hello\n',
      'pane_contents/pane-my project:1.2': 'café\n',
      'other.txt': 'not a pane',
    });
    const before = readdirSync(dir).sort();
    const read = await readPaneContents(file);
    expect(read.problem).toBeNull();
    expect([...read.panes.entries()]).toEqual([
      ['s:0.0', 'hello\n'],
      ['my project:1.2', 'café\n'],
    ]);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('ignores a symlink entry instead of following it', async () => {
    symlinkSync('/etc/passwd', join(dir, 'link'));
    mkdirSync(join(dir, 'src-l', 'pane_contents'), { recursive: true });
    symlinkSync('/etc/passwd', join(dir, 'src-l', 'pane_contents', 'pane-x:0.0'));
    const out = join(dir, 'l.tar.gz');
    execFileSync('tar', ['czf', out, '-C', join(dir, 'src-l'), 'pane_contents/pane-x:0.0']);
    expect((await readPaneContents(out)).panes.size).toBe(0);
  });

  it('refuses a symlinked archive, a directory and garbage with a reason; no archive is no panes', async () => {
    const real = archive('real', { 'pane_contents/pane-s:0.0': 'x' });
    symlinkSync(real, join(dir, 'linked.tar.gz'));
    expect(await readPaneContents(join(dir, 'linked.tar.gz'))).toMatchObject({
      problem: expect.stringMatching(/not a regular file/),
    });
    expect((await readPaneContents(dir)).problem).toMatch(/not a regular file/);
    writeFileSync(join(dir, 'garbage.tar.gz'), 'this is not a tar archive at all'.repeat(40));
    const garbage = await readPaneContents(join(dir, 'garbage.tar.gz'));
    expect(garbage.panes.size).toBe(0);
    expect(await readPaneContents(join(dir, 'missing.tar.gz'))).toEqual({
      panes: new Map(),
      problem: null,
    });
  });

  it('stops unpacking past its bound and says so (a gzip bomb costs at most that)', async () => {
    const file = archive('big', { 'pane_contents/pane-s:0.0': 'y'.repeat(200_000) });
    const read = await readPaneContents(file, 50_000);
    expect(read.problem).toMatch(/unpacks to over 50000 bytes/);
  });

  it('counts the entries it does not keep against the bound too, bytes and number', async () => {
    const padded = archive('padded', {
      'pane_contents/pane-s:0.0': 'small',
      'filler.bin': 'z'.repeat(200_000),
    });
    expect((await readPaneContents(padded, 50_000)).problem).toMatch(/unpacks to over 50000 bytes/);
    const files = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`empty-${i}`, '']));
    const many = archive('many', files);
    expect((await readPaneContents(many, 50_000, 10)).problem).toMatch(
      /has over 10 entries: the rest is not read/,
    );
  });
});
