import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../../controllers/workspace-lock.js';

describe('the workspace lock within one process', () => {
  it('is never held twice at once by the same process, and is free again once released', async () => {
    const root = mkdtempSync(join(tmpdir(), 'helios-lock-'));
    mkdirSync(join(root, 'state'), { mode: 0o700 });
    const dir = join(root, 'state');
    try {
      const first = await acquireLock(dir, 'recovery (first)', Date.now);
      if ('refused' in first) throw new Error(first.refused);
      expect(await acquireLock(dir, 'recovery (second)', Date.now)).toEqual({
        refused: expect.stringContaining(`pid ${process.pid} (recovery (first))`),
      });
      await first.release();
      const again = await acquireLock(dir, 'recovery (third)', Date.now);
      expect('refused' in again).toBe(false);
      if (!('refused' in again)) await again.release();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
