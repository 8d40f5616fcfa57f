import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keepZellijLayout, zellijLayoutFile } from '../../../clients/zellij-resurrection.js';

describe("zellij's own resurrection layout", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'helios-zr-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const env = () => ({ XDG_CACHE_HOME: join(root, 'cache') });

  it('is copied into the state dir, private, before anything deletes it', async () => {
    const file = zellijLayoutFile(env(), 'helios-a');
    expect(file).toBe(
      join(root, 'cache/zellij/contract_version_1/session_info/helios-a/session-layout.kdl'),
    );
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'layout { tab name="one" { pane cwd="/w"; }; }\n');
    const kept = await keepZellijLayout(env(), 'helios-a', new Date(0));
    expect(kept?.file).toBe(
      join(root, 'cache/zellij/helios-recover-kept/helios-a-1970-01-01T00-00-00-000Z.kdl'),
    );
    expect(kept?.text).toContain('tab name="one"');
    expect(readFileSync(kept!.file, 'utf8')).toBe(kept!.text);
    expect(statSync(kept!.file).mode & 0o777).toBe(0o600);
    expect(await keepZellijLayout(env(), 'helios-none')).toBeNull();
  });

  it('refuses a planted symlink instead of following it (the caller then deletes nothing)', async () => {
    const file = zellijLayoutFile(env(), 'helios-b');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(join(root, 'secret'), 'x');
    symlinkSync(join(root, 'secret'), file);
    await expect(keepZellijLayout(env(), 'helios-b')).rejects.toThrow(/is not a regular file/);
  });
});
