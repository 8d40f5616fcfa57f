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

/** Colour and cursor movement only on a TTY and never under CI. */
export function isInteractiveOutput(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.CI;
}
