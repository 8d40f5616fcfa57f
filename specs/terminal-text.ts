/**
 * Replayed scrollback is printed into a live terminal, and some sequences make a terminal
 * answer by typing into the new shell's input: device status and cursor position reports
 * (`ESC [ 6 n`), device attributes (`ESC [ c`, `ESC Z`), window reports (`ESC [ 14 t`), mode,
 * setting and state requests (DECRQM, DECRQSS, XTGETTCAP, DECRQPSR, DECRQCRA, XTREPORTSGR),
 * version, keyboard and graphics queries, colour and clipboard queries (`OSC 11 ; ? BEL`), and
 * ENQ. `stripTerminalQueries` removes them; colours (SGR) and every other sequence are kept.
 *
 * The text is read the way a terminal's parser reads it (tmux's and the DEC VT500 state machine
 * agree on this much): ESC, CAN and SUB interrupt any sequence; control characters inside a
 * control sequence are executed and the sequence goes on, so `ESC [ 6 CR n` still asks; an OSC
 * or DCS string ends at BEL (OSC), ST, ESC, CAN or SUB and is acted on when it ends. C1
 * controls (U+0080..U+009F) are dropped: terminals disagree about them and no output needs them.
 *
 * Removing a query must not build another from its pieces (`ESC [ 6` + `ESC [ 5 n` + `n`):
 * the result is the fixed point of removing queries until none is left, reached in one pass.
 * The parser runs over the output as it is built; when a query completes, the output is cut
 * back to where it began and the parser state there is restored, so what follows is read in
 * the context the terminal will see. A sequence still open at the end is dropped, since what
 * is printed next (the shell's prompt) would complete it. Linear in the text: every character
 * is appended once and removed at most once; a sequence is inspected once, when it ends.
 * Hence `strip(strip(x)) === strip(x)`, and no query survives.
 */

const ENQ = 0x05;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;
const ESC = 0x1b;
const DEL = 0x7f;
const BACKSLASH = 0x5c;

/** Window operations that report (CSI Ps t with Ps in 11..21): 22/23 push/pop titles. */
const REPORTING_WINDOW_OPS = new Set(['11', '13', '14', '15', '16', '18', '19', '20', '21']);

type Mode = 'ground' | 'escape' | 'csi' | 'string';
type StringKind = 'osc' | 'dcs' | 'other';

/** Where the parser is. Mutated per character; copied when a sequence may need it back. */
interface ParserState {
  mode: Mode;
  /** Output index of the sequence's ESC (not ground). */
  start: number;
  /** escape: an intermediate byte (0x20..0x2f) came after the ESC. */
  intermediate: boolean;
  /** escape: this ESC ended a string, whose state is the mark below it. */
  endsString: boolean;
  /** csi: output index of the first byte after `[`. */
  body: number;
  kind: StringKind;
  /** osc: the current field is still empty / is exactly `?`; a `?` field was completed. */
  fieldStart: boolean;
  question: boolean;
  found: boolean;
  /** dcs: its first two bytes (`$q`, `+q` ask). */
  prefix: string;
}

const GROUND: Readonly<ParserState> = {
  mode: 'ground',
  start: -1,
  intermediate: false,
  endsString: false,
  body: -1,
  kind: 'other',
  fieldStart: false,
  question: false,
  found: false,
  prefix: '',
};

function isQueryCsi(params: string, intermediates: string, final: string): boolean {
  switch (final) {
    case 'n': // DSR, cursor position
    case 'c': // DA1, DA2, DA3
    case 'x': // DECREQTPARM
      return true;
    case 't':
      return !/^[<=>?]/.test(params) && REPORTING_WINDOW_OPS.has(params.split(/[;:]/)[0]!);
    case 'p': // DECRQM
    case 'w': // DECRQPSR
      return intermediates.includes('$');
    case 'q': // XTVERSION
      return params.startsWith('>');
    case 'u': // keyboard protocol query, DECRQTSR
      return params.startsWith('?') || intermediates.includes('$');
    case 'm': // XTQMODKEYS (SGR never starts with `?`)
    case 'S': // XTSMGRAPHICS
      return params.startsWith('?');
    case 'y': // DECRQCRA
      return intermediates.includes('*');
    case '|': // XTREPORTSGR
      return intermediates.includes('#');
    default:
      return false;
  }
}

function isQueryString(state: Readonly<ParserState>): boolean {
  if (state.kind === 'osc') return state.found || state.question; // a field that is only `?`
  if (state.kind === 'dcs') return state.prefix === '$q' || state.prefix === '+q';
  return false;
}

export function stripTerminalQueries(text: string): string {
  if (!/[\x05\x1b\x80-\x9f]/.test(text)) return text;
  const out = new Uint16Array(text.length);
  let length = 0;
  let state: ParserState = { ...GROUND };
  /** For each ESC in the output: the parser state just before it. */
  const marks: { at: number; before: ParserState }[] = [];

  const push = (code: number) => void (out[length++] = code);
  const toGround = () => void (state = { ...GROUND });
  /** Removes the sequence that begins at `at` (and all after it); the parser is back there. */
  const cut = (at: number) => {
    length = at;
    for (;;) {
      const mark = marks.pop()!;
      if (mark.at === at) return void (state = { ...mark.before });
    }
  };
  const escape = (endsString: boolean) => {
    marks.push({ at: length, before: { ...state } });
    state = { ...GROUND, mode: 'escape', start: length, endsString };
    push(ESC);
  };
  const queryCsiEndsHere = (final: number): boolean => {
    let params = '';
    let intermediates = '';
    for (let i = state.body; i < length - 1; i += 1) {
      const code = out[i]!;
      if (code >= 0x30 && code <= 0x3f) params += String.fromCharCode(code);
      else if (code >= 0x20 && code <= 0x2f) intermediates += String.fromCharCode(code);
    }
    return isQueryCsi(params, intermediates, String.fromCharCode(final));
  };

  const inEscape = (code: number) => {
    if (state.endsString) {
      const ended = marks[marks.length - 1]!.before;
      const query = isQueryString(ended);
      if (code === BACKSLASH) {
        // ST: the string is complete.
        if (query) cut(ended.start);
        else {
          push(code);
          toGround();
        }
        return;
      }
      if (query) {
        cut(ended.start);
        feed(ESC);
        return feed(code);
      }
      state.endsString = false;
    }
    if (code === ESC) return escape(false);
    push(code);
    if (code === CAN || code === SUB) return toGround();
    if (code < 0x20 || code === DEL || code > DEL) return; // executed or ignored: it goes on
    if (code < 0x30) return void (state.intermediate = true);
    if (!state.intermediate) {
      const char = String.fromCharCode(code);
      if (char === '[') return void Object.assign(state, { mode: 'csi', body: length });
      if (char === ']' || char === 'P' || char === 'X' || char === '^' || char === '_') {
        const kind = char === ']' ? 'osc' : char === 'P' ? 'dcs' : 'other';
        return void Object.assign(state, { mode: 'string', kind, fieldStart: true });
      }
      if (char === 'Z') return cut(state.start); // DECID
    }
    toGround();
  };

  const inCsi = (code: number) => {
    if (code === ESC) return escape(false);
    push(code);
    if (code === CAN || code === SUB) return toGround();
    if (code < 0x40 || code > 0x7e) return; // parameters, controls, ignored bytes: it goes on
    if (queryCsiEndsHere(code)) cut(state.start);
    else toGround();
  };

  const inString = (code: number) => {
    if (code === ESC) return escape(true);
    const ends = code === CAN || code === SUB || (code === BEL && state.kind === 'osc');
    if (ends) {
      if (isQueryString(state)) {
        cut(state.start);
        // A BEL that ended the query goes with it; CAN and SUB act where the parser now is.
        return code === BEL ? undefined : feed(code);
      }
      push(code);
      return toGround();
    }
    push(code);
    if (code < 0x20) return; // ignored inside a string
    if (state.kind === 'dcs' && state.prefix.length < 2) state.prefix += String.fromCharCode(code);
    if (state.kind !== 'osc') return;
    if (code === 0x3b) {
      if (state.question) state.found = true;
      state.fieldStart = true;
      state.question = false;
    } else {
      state.question = code === 0x3f && state.fieldStart;
      state.fieldStart = false;
    }
  };

  function feed(code: number): void {
    if (code === ENQ || (code >= 0x80 && code <= 0x9f)) return;
    if (state.mode === 'escape') return inEscape(code);
    if (state.mode === 'csi') return inCsi(code);
    if (state.mode === 'string') return inString(code);
    if (code === ESC) return escape(false);
    push(code);
  }

  for (let i = 0; i < text.length; i += 1) feed(text.charCodeAt(i));
  while (state.mode !== 'ground') cut(state.start);
  let result = '';
  for (let i = 0; i < length; i += 8192)
    result += String.fromCharCode.apply(
      null,
      out.subarray(i, Math.min(length, i + 8192)) as unknown as number[],
    );
  return result;
}
