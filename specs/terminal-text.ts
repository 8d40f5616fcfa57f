/**
 * Replayed scrollback is printed into a live terminal, and some sequences make a terminal
 * answer by typing into the new shell's input: device status and cursor position reports
 * (`ESC [ 6 n`), device attributes (`ESC [ c`), window reports (`ESC [ 14 t`), mode and
 * setting requests (DECRQM, DECRQSS, XTGETTCAP), version and keyboard queries, colour and
 * clipboard queries (`OSC 11 ; ? BEL`), and ENQ. They are removed; colours (SGR) and every
 * other sequence are kept.
 */
const CSI = /(?:\x1b\[|\x9b)([\x30-\x3f]*)([\x20-\x2f]*)([\x40-\x7e])/g;
const STRING_SEQUENCE = /(?:\x1b([P\]])|([\x90\x9d]))([^\x07\x1b\x9c]*)(\x07|\x1b\\|\x9c)?/g;
/** Window operations that report (CSI Ps t with Ps in 11..21): 22/23 push/pop titles. */
const REPORTING_WINDOW_OPS = new Set(['11', '13', '14', '15', '16', '18', '19', '20', '21']);

function isQueryCsi(params: string, intermediates: string, final: string): boolean {
  if (final === 'n' || final === 'c' || final === 'x') return true; // DSR, DA, DECREQTPARM
  if (final === 't') return REPORTING_WINDOW_OPS.has(params.split(';')[0] ?? '');
  if (final === 'p' && intermediates.includes('$')) return true; // DECRQM
  if (final === 'q' && params.startsWith('>')) return true; // XTVERSION
  if (final === 'u' && params.startsWith('?')) return true; // keyboard protocol query
  return false;
}

function isQueryString(kind: string, body: string): boolean {
  if (kind === 'P' || kind === '\x90') return body.startsWith('$q') || body.startsWith('+q');
  return /(^|;)\?($|;)/.test(body); // OSC colour / clipboard / palette query
}

export function stripTerminalQueries(text: string): string {
  return text
    .replace(
      STRING_SEQUENCE,
      (whole, escKind: string | undefined, c1Kind: string | undefined, body: string) =>
        isQueryString(escKind ?? c1Kind ?? '', body) ? '' : whole,
    )
    .replace(CSI, (whole, params: string, intermediates: string, final: string) =>
      isQueryCsi(params, intermediates, final) ? '' : whole,
    )
    .replace(/\x05/g, '');
}
