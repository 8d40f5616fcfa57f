import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockRecordSpec } from '../../../specs/state-files.js';
import { readJsonFile } from '../../../store/json-file.js';
import { readRecoveryState } from '../../../store/recovery-files.js';
import { readSafeMode } from '../../../store/recovery-files.js';

describe('state files are read through their schemas', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'helios-json-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('tells missing, not JSON, not the schema, a symlink and a good file apart', async () => {
    const lock = { pid: 42, startTime: 7, heartbeatAt: new Date(0).toISOString(), command: 'run' };
    expect(await readJsonFile(join(dir, 'none.json'), LockRecordSpec)).toEqual({
      status: 'missing',
    });
    expect(await readJsonFile(file('torn.json', '{"pid": 4'), LockRecordSpec)).toEqual({
      status: 'invalid',
      reason: 'not JSON',
    });
    expect(
      await readJsonFile(file('bad.json', JSON.stringify({ ...lock, pid: '42' })), LockRecordSpec),
    ).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/^pid: /) });
    const good = file('good.json', JSON.stringify(lock));
    expect(await readJsonFile(good, LockRecordSpec)).toEqual({ status: 'ok', value: lock });
    symlinkSync(good, join(dir, 'link.json'));
    expect(await readJsonFile(join(dir, 'link.json'), LockRecordSpec)).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/symlink/),
    });
  });

  it('a hand-edited safe mode or recovery state is not trusted as its type', async () => {
    file('safe-mode.json', JSON.stringify({ enteredAt: 'yesterday', reason: 1, crashes: -1 }));
    expect(await readSafeMode(dir)).toBeNull();
    file('recovery-state.json', JSON.stringify({ version: 1, incarnation: 'x', stage: 'PWNED' }));
    expect(await readRecoveryState(dir)).toBeNull();
  });
});
