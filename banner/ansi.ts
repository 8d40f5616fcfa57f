import { WriteStream } from 'node:tty';

/** ANSI styling, applied only when the renderer was created for a colour-capable terminal. */
export interface Style {
  readonly bold: (text: string) => string;
  readonly green: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly dim: (text: string) => string;
}

const wrap = (open: number, close: number) => (text: string) =>
  `\u001b[${open}m${text}\u001b[${close}m`;

export const COLOURS: Style = {
  bold: wrap(1, 22),
  green: wrap(32, 39),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  dim: wrap(2, 22),
};
const same = (text: string) => text;
export const NO_COLOURS: Style = { bold: same, green: same, red: same, yellow: same, dim: same };

/** Clears the current line and returns the cursor to its start. */
export const CLEAR_LINE = '\r\u001b[2K';

// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\u001b\[[0-9;?]*[ -/]*[@-~]|\r/g;

/** The text without escape sequences or carriage returns (what tests compare). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/** Cursor movement (a live line redrawn, a box to dismiss): only on a TTY, never under CI. */
export function isInteractiveOutput(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.CI;
}

const nodeHasColors = WriteStream.prototype.hasColors as (this: unknown, env?: object) => boolean;

/** A stream that may say whether it shows colours: a terminal's `tty.WriteStream` does. */
export interface ColourStream {
  readonly isTTY?: boolean;
  readonly hasColors?: (env?: object) => boolean;
}

/**
 * Whether to colour: Node's own `hasColors()` decides (NO_COLOR, NODE_DISABLE_COLORS,
 * FORCE_COLOR, TERM, CI), asked of the stream when it is a terminal. A stream that is not one
 * (a pipe, a file) is coloured only when FORCE_COLOR asks for it, by the same rule of Node's.
 */
export function usesColour(stream: ColourStream, env: NodeJS.ProcessEnv): boolean {
  if (typeof stream.hasColors === 'function') return stream.hasColors(env);
  return env.FORCE_COLOR !== undefined && nodeHasColors.call(stream, env);
}
