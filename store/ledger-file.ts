import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
} from 'node:fs';
import { readFileSync, unlinkSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Observation } from '../specs/actual-state.js';
import {
  LEDGER_FILE_NAME,
  LedgerEntry,
  ledgerFileName,
  MAX_LEDGER_ENTRIES,
  MAX_LEDGER_ENTRY_BYTES,
} from '../specs/ledger.js';
import { writeFileAtomic } from './atomic-file.js';
import { ensurePrivateSubdir } from './private-dir.js';

/** `<stateDir>/ledger/`: one file per process we started, `<pid>-<startTime>.json`. */
export const LEDGER_DIR = 'ledger';
export const ledgerDirOf = (stateDir: string) => join(stateDir, LEDGER_DIR);

/** This boot's id: pids and start times begin again at every boot. */
export function readBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

const ourUid = () => process.geteuid?.() ?? process.getuid?.() ?? 0;

/** One entry file, or null when it is not an entry (too big, not regular, torn, not ours). */
function readEntry(path: string): LedgerEntry | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > MAX_LEDGER_ENTRY_BYTES || info.uid !== ourUid()) return null;
    const buffer = Buffer.alloc(MAX_LEDGER_ENTRY_BYTES + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    if (length > MAX_LEDGER_ENTRY_BYTES) return null;
    const parsed = LedgerEntry.safeParse(JSON.parse(buffer.toString('utf8', 0, length)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * The ledger of this boot. Missing: empty (nothing was started yet). A ledger dir that is a
 * symlink, unreadable, or holds more than MAX_LEDGER_ENTRIES files is `unavailable`: then no
 * process can be proven ours and cleanup is held back. A file that is not a valid entry of this
 * boot, or whose name does not match its content, proves nothing and is skipped.
 */
export function readLedger(stateDir: string, bootId: string | null): Observation<LedgerEntry> {
  const dir = ledgerDirOf(stateDir);
  if (bootId === null) return { status: 'unavailable', reason: 'the boot id cannot be read' };
  let names: string[];
  try {
    const info = lstatSync(dir);
    if (info.isSymbolicLink() || !info.isDirectory() || info.uid !== ourUid())
      return { status: 'unavailable', reason: `${dir} is not a directory of ours` };
    if ((info.mode & 0o022) !== 0)
      return {
        status: 'unavailable',
        reason: `${dir} is writable by group or others (mode ${(info.mode & 0o777).toString(8)}): its entries prove nothing`,
      };
    names = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'ok', items: [] };
    return { status: 'unavailable', reason: `ledger ${dir} cannot be read (${code})` };
  }
  const files = names.filter((name) => LEDGER_FILE_NAME.test(name));
  if (files.length > MAX_LEDGER_ENTRIES)
    return {
      status: 'unavailable',
      reason: `ledger ${dir} holds ${files.length} entries, over the ${MAX_LEDGER_ENTRIES} limit`,
    };
  const items: LedgerEntry[] = [];
  for (const name of files) {
    const entry = readEntry(join(dir, name));
    if (entry && entry.bootId === bootId && ledgerFileName(entry) === name) items.push(entry);
  }
  return { status: 'ok', items };
}

/**
 * Removes the entries of processes that are gone (and files of other boots, torn ones and
 * misnamed ones), so the ledger stays as small as what runs. `alive(entry)`: the pid runs with
 * that start time, read from /proc now (an entry written since the scan read its table is
 * alive). A temp file being renamed into place is left alone.
 */
export async function compactLedger(
  stateDir: string,
  bootId: string,
  alive: (entry: { pid: number; startTime: number }) => boolean,
): Promise<number> {
  const dir = ledgerDirOf(stateDir);
  let names: string[];
  try {
    if (lstatSync(dir).isSymbolicLink()) return 0;
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  await Promise.all(
    names.map(async (name) => {
      const match = LEDGER_FILE_NAME.exec(name);
      const path = join(dir, name);
      if (match) {
        const identity = { pid: Number(match[1]), startTime: Number(match[2]) };
        const entry = readEntry(path);
        if (entry && entry.bootId === bootId && alive(identity)) return;
        if (!entry && alive(identity)) return; // being written right now: keep
      } else if (!name.endsWith('.json')) return; // a temp file being renamed, or not ours
      await unlink(path).then(
        () => removed++,
        () => undefined,
      );
    }),
  );
  return removed;
}

/** Records a process we started (atomic: a reader sees the whole entry or none). */
export async function recordLedgerEntry(stateDir: string, entry: LedgerEntry): Promise<void> {
  const dir = ledgerDirOf(stateDir);
  await ensurePrivateSubdir(dir);
  await writeFileAtomic(join(dir, ledgerFileName(entry)), `${JSON.stringify(entry)}\n`, 0o600);
}

/** The one-time claim file of a launcher script (`launch/<id>.sh` -> `launch/<id>.claim`). */
export const claimOf = (script: string) => script.replace(/\.sh$/, '.claim');

/**
 * Arms a launcher: its next run records itself. Called by the multiplexer client right before
 * it starts the new pane, and only then: a launcher written for a session that turns out to be
 * live already stays disarmed, so the panes a user opens there never claim it.
 */
export async function armLaunchClaim(script: string): Promise<void> {
  try {
    unlinkSync(claimOf(script)); // synchronous, as the launcher writes (one per pane)
  } catch {
    // already armed
  }
}

/** Disarms a launcher (a regular, empty claim file: taken). */
export async function disarmLaunchClaim(script: string): Promise<void> {
  await writeFileAtomic(claimOf(script), '', 0o600, false);
}
