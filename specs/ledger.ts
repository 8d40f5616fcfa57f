import { z } from 'zod';

/**
 * The ownership ledger: one entry per process helios-recover started as a pane program (the
 * launcher records itself before it execs) or the host app registered as a share worker. A
 * process is ours only when its pid and start time are here, recorded in this boot: marker env
 * is inherited by everything a pane starts, so it can only find candidates, never prove who
 * started them (docs/OWNERSHIP.md).
 */
export const LedgerEntry = z
  .object({
    v: z.literal(1),
    pid: z.number().int().min(2),
    /** /proc/PID/stat field 22: with the pid and the boot, the identity of the process. */
    startTime: z.number().int().nonnegative(),
    pgid: z.number().int().nonnegative(),
    sid: z.number().int().nonnegative(),
    /** /proc/sys/kernel/random/boot_id when it was recorded: pids and start times restart at boot. */
    bootId: z.string().min(1).max(64),
    workspaceId: z.string().max(256),
    instanceId: z.string().max(64),
    sessionId: z.string().max(256).nullable(),
    /** The pane of the session it leads (`0`: the session's first pane). */
    pane: z.string().max(64).nullable(),
    role: z.enum(['shell', 'share-worker']),
    /** What it runs, as recorded: a recorded process that exec'd into something else is not it. */
    argv: z.array(z.string().max(65_536)).min(1).max(1_024),
    /**
     * A share worker's host (the process that registered it), by pid and start time: the worker
     * is orphaned only once its host is gone.
     */
    host: z
      .object({ pid: z.number().int().min(1), startTime: z.number().int().nonnegative() })
      .nullable()
      .optional(),
    shareId: z.string().max(256).nullable().optional(),
  })
  .strict();
export type LedgerEntry = z.infer<typeof LedgerEntry>;

/** A ledger larger than this is refused as a whole (the scan is then blind). */
export const MAX_LEDGER_ENTRIES = 20_000;
/** An entry file larger than this is not an entry. */
export const MAX_LEDGER_ENTRY_BYTES = 65_536;

/** The identity a ledger entry and a scanned process share. */
export const ledgerKeyOf = (p: { readonly pid: number; readonly startTime: number }) =>
  `${p.pid}@${p.startTime}`;

/** The file name of an entry in `ledger/`, and the pattern every entry's name has. */
export const LEDGER_FILE_NAME = /^(\d+)-(\d+)\.json$/;
export const ledgerFileName = (p: { readonly pid: number; readonly startTime: number }) =>
  `${p.pid}-${p.startTime}.json`;
