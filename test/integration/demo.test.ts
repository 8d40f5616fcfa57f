import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { realZellijBinary } from '../contract/backends.js';

const DEMO = fileURLToPath(new URL('../../dist/bin/demo.js', import.meta.url));

const ZELLIJ = realZellijBinary();

describe('npm run demo', () => {
  const runs: [string, string[]][] = [['tmux', []]];
  if (ZELLIJ) runs.push(['real zellij', ['--zellij']]);
  it.each(runs)(
    'on %s: recovers 5 sessions, fails the one whose worktree was removed, and cleans up',
    async (_label, args) => {
      const { stdout } = await promisify(execFile)(process.execPath, [DEMO, ...args], {
        encoding: 'utf8',
        env: { ...process.env, ...(ZELLIJ ? { HELIOS_ZELLIJ_BIN: ZELLIJ } : {}) },
      }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
      });
      expect(stdout).toContain(
        'Plan: 0 to reattach, 1 to reinventory, 5 to respawn, 2 cannot be restored.',
      );
      expect(stdout).toContain('Recovery complete with issues');
      expect(stdout).toContain('Sessions: 5 restored, 1 failed (of 6)');
      expect(stdout).toMatch(/✗ helios-s3 {2}lane_missing: lane lane-b/);
      const root = /Sandbox workspace in (\S+)/.exec(stdout)![1]!;
      const { existsSync } = await import('node:fs');
      expect(existsSync(root)).toBe(false);
      expect(stdout).toMatch(/Sandbox removed\.\n$/);
    },
  );
});
