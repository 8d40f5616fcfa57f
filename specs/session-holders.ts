/**
 * Session holders: programs that keep terminal sessions alive for someone (multiplexers, detach
 * tools, remote shells). Everything below a live one is live work, never an orphan, whoever
 * started it. Matched case-insensitively by the kernel's command name (`comm`, at most 15
 * bytes) or by the basename of argv[0] / the executable, so `SCREEN`, `screen`, `tmux: server`
 * and a renamed argv0 are all caught. Over-matching only protects more.
 */
export const SESSION_HOLDERS: readonly { readonly name: string; readonly what: string }[] = [
  { name: 'tmux', what: 'tmux server (comm "tmux: server")' },
  { name: 'zellij', what: 'zellij server (`zellij --server <socket>`)' },
  { name: 'screen', what: 'GNU screen (comm "screen", argv0 "SCREEN")' },
  { name: 'dtach', what: 'dtach master' },
  { name: 'abduco', what: 'abduco server' },
  { name: 'mosh-server', what: 'mosh server' },
  { name: 'dvtm', what: 'dvtm' },
  { name: 'byobu', what: 'byobu (a tmux or screen wrapper)' },
  { name: 'reptyr', what: 'reptyr (moves a process to a new terminal)' },
  { name: 'sshd', what: 'OpenSSH daemon (a remote login session)' },
  { name: 'script', what: 'script(1), which runs a shell on its own pty' },
  { name: 'expect', what: 'expect, which runs programs on its own ptys' },
];

const HOLDER_NAMES = new Set(SESSION_HOLDERS.map((holder) => holder.name));

/** The holder name a command name or path stands for, or null: `tmux: server` -> `tmux`. */
function holderName(word: string): string | null {
  const base = (word.split('/').pop() ?? '').toLowerCase().replace(/^-/, '');
  // `tmux: server`, `sshd: user@pts/0`: the name comes before the colon or space.
  const first = base.split(/[:\s]/)[0] ?? '';
  return HOLDER_NAMES.has(first) ? first : null;
}

/** What the holder check looks at for one process. */
export interface HolderEvidence {
  readonly comm: string;
  readonly argv: readonly string[];
  /** Basename of /proc/PID/exe when readable. */
  readonly exe?: string | null | undefined;
}

/** Whether a process is a session holder (see SESSION_HOLDERS), or null when it is not. */
export function sessionHolderOf(seen: HolderEvidence): string | null {
  const named =
    holderName(seen.comm) ??
    holderName(seen.argv[0] ?? '') ??
    (seen.exe ? holderName(seen.exe) : null);
  if (named) return named;
  // A zellij server run through an interpreter or wrapper: `... zellij --server <socket>`.
  const at = seen.argv.indexOf('--server');
  return at > 0 && seen.argv.slice(0, at).some((word) => /zellij/i.test(word)) ? 'zellij' : null;
}
