import { createReadStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { Parser, type ReadEntry } from 'tar';

/** The archive is hostile data: at most this much is read, and at most this much unpacked. */
const MAX_ARCHIVE_BYTES = 32 * 1024 * 1024;
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;
/** The plugin writes one file per pane: an archive of more entries is not its archive. */
const MAX_ENTRIES = 10_000;
const PANE_ENTRY = /^(?:\.\/)?pane_contents\/pane-(.+)$/;

export interface PaneContents {
  /** Text per pane, keyed `session:window.pane` as the plugin names its files. */
  readonly panes: ReadonlyMap<string, string>;
  /** Why the archive (or part of it) was not used; null when it was read whole or is absent. */
  readonly problem: string | null;
}

/**
 * Reads tmux-resurrect's pane contents archive (`pane_contents.tar.gz` beside its save file)
 * in memory: nothing is written to disk. Only regular files named `pane_contents/pane-*` are
 * kept; a symlink, a non-regular or an oversized archive is not read, and unpacking stops at
 * MAX_UNPACKED_BYTES or MAX_ENTRIES, counting every entry whether it is kept or not (a gzip
 * bomb costs at most that), with the reason. No archive: no panes.
 * (node-tar parses the archive: a well-kept reader rather than a hand-written header parser.)
 */
export async function readPaneContents(
  archive: string,
  maxUnpackedBytes = MAX_UNPACKED_BYTES,
  maxEntries = MAX_ENTRIES,
): Promise<PaneContents> {
  const info = await lstat(archive).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error)
    return {
      panes: new Map(),
      problem: info.code === 'ENOENT' ? null : `${archive}: ${info.code}`,
    };
  if (!info.isFile())
    return { panes: new Map(), problem: `${archive} is not a regular file: not read` };
  if (info.size > MAX_ARCHIVE_BYTES)
    return { panes: new Map(), problem: `${archive} is over ${MAX_ARCHIVE_BYTES} bytes: not read` };
  const chunks = new Map<string, Buffer[]>();
  let unpacked = 0;
  let entries = 0;
  let problem: string | null = null;
  const source = createReadStream(archive);
  await new Promise<void>((resolve) => {
    const stop = (why: string | null) => {
      problem ??= why;
      source.destroy();
      resolve();
    };
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        entries += 1;
        if (entries > maxEntries)
          return stop(`${archive} has over ${maxEntries} entries: the rest is not read`);
        const match = PANE_ENTRY.exec(entry.path);
        const parts: Buffer[] | null = entry.type === 'File' && match ? [] : null;
        if (parts) chunks.set(match![1]!, parts);
        // Every entry is drained (or the parser waits for it forever) and counted, kept or not.
        entry.on('data', (chunk: Buffer) => {
          unpacked += chunk.length;
          if (unpacked > maxUnpackedBytes)
            return stop(
              `${archive} unpacks to over ${maxUnpackedBytes} bytes: the rest is not read`,
            );
          parts?.push(chunk);
        });
      },
    });
    parser.on('error', (error: Error) => stop(`${archive}: ${error.message}`));
    parser.on('end', () => stop(null));
    source.on('error', (error: NodeJS.ErrnoException) => stop(`${archive}: ${error.code}`));
    source.pipe(parser);
  });
  const panes = new Map<string, string>();
  for (const [pane, parts] of chunks) panes.set(pane, Buffer.concat(parts).toString('utf8'));
  return { panes, problem };
}
