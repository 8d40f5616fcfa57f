import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellWidth, fitText, shortenMiddle } from '../../../banner/fit-width.js';
import { commandLine } from '../../../banner/render-remedy.js';
import { shellQuote } from '../../../specs/shell-quoting.js';

describe('widths in terminal cells', () => {
  it('counts East Asian wide characters and emoji 2, combining marks 0', () => {
    expect(cellWidth('abc')).toBe(3);
    expect(cellWidth('项目')).toBe(4);
    expect(cellWidth('プロジェクト')).toBe(12);
    expect(cellWidth('한국어')).toBe(6);
    expect(cellWidth('😀🚀')).toBe(4);
    expect(cellWidth('Ａ')).toBe(2); // fullwidth
    expect(cellWidth('ｱ')).toBe(1); // halfwidth katakana
    expect(cellWidth('e\u0301')).toBe(1); // e + combining acute
    expect(cellWidth('✓ ✗ → … │')).toBe(9);
  });

  it('fits a path in CJK script to 40 columns in at most 40 cells', () => {
    const path = '/home/用户/项目/非常长的目录名称/子目录/很深的文件夹/最后一个';
    expect(cellWidth(path)).toBeGreaterThan(40);
    const short = shortenMiddle(path, 40);
    expect(cellWidth(short)).toBeLessThanOrEqual(40);
    expect(cellWidth(short)).toBeGreaterThanOrEqual(39); // a wide char may leave one cell
    expect(short.startsWith('/home/用户')).toBe(true);
    expect(short.endsWith('最后一个')).toBe(true);
    const fitted = fitText([`    ✗ helios-a  cwd_missing: directory ${path} no longer exists`], 40);
    for (const line of fitted.lines) expect(cellWidth(line)).toBeLessThanOrEqual(40);
    expect(fitted.cut).toHaveLength(1);
  });

  it('never gives a line wider than the width, whatever the script', () => {
    const char = fc.constantFrom(...'ab/._-项目文件夹データ한😀🚀é\u0301');
    const word = fc.array(char, { minLength: 1, maxLength: 40 }).map((chars) => chars.join(''));
    const line = fc
      .tuple(fc.nat({ max: 6 }), fc.array(word, { minLength: 1, maxLength: 20 }))
      .map(([indent, words]) => `${' '.repeat(indent)}${words.join(' ')}`);
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 6 }),
        fc.integer({ min: 20, max: 160 }),
        (lines, w) => {
          for (const out of fitText(lines, w).lines) expect(cellWidth(out)).toBeLessThanOrEqual(w);
        },
      ),
    );
  });
});

describe('long commands wrap at option boundaries', () => {
  const flags = {
    workspace: '工作区-main',
    stateDir: '/home/开发者/.local/state/helios/工作区名称',
    tmuxSocket: 'helios-套接字-long-socket-name',
    backend: 'tmux',
  };
  const command = commandLine(['recover'], flags);
  const line = `      → Recreate /x and run \`${command}\` again, or take a new checkpoint without a.`;
  /** The command as a shell reads it: ` \` + newline + indent joins the lines. */
  const pasted = (lines: string[]) =>
    /`([^`]*)`/s.exec(lines.join('\n').replace(/ \\\n */g, ' '))![1];

  it('keeps every option with its value, with ` \\` continuations, inside the width', () => {
    for (const width of [76, 96, 116]) {
      const { lines, cut } = fitText([line], width);
      expect(cut).toEqual([]);
      for (const out of lines) expect(cellWidth(out)).toBeLessThanOrEqual(width);
      expect(pasted(lines)).toBe(command);
      const text = lines.join('\n');
      for (const pair of [
        `-w ${shellQuote(flags.workspace)}`,
        `--state-dir ${shellQuote(flags.stateDir)}`,
        `-L ${shellQuote(flags.tmuxSocket)}`,
        '--backend tmux',
      ])
        expect(text).toContain(pair);
      // Only the command's lines end with a continuation; they are indented under it.
      const inside = lines.filter((out) => out.endsWith(' \\'));
      expect(inside.length).toBeGreaterThan(0);
      const after = lines.indexOf(inside.at(-1)!) + 1;
      expect(lines[after]).toMatch(/^ {10}\S/);
    }
  });

  it('moves a command that fits on a line of its own whole, without continuations', () => {
    const short = commandLine(['orphans'], { workspace: 'ws' });
    const { lines } = fitText([`      → Review r-1234abcd and the others with \`${short}\`.`], 40);
    expect(lines).toContain('        `helios-recover orphans -w ws`.');
    for (const out of lines) expect(out).not.toMatch(/\\$/);
  });

  it('cuts only a single value wider than a line, and says which line was cut', () => {
    const deep = { stateDir: `/state/${'很深的目录/'.repeat(12)}end` };
    const long = `      → Run \`${commandLine(['plan'], deep)}\` to see the current state.`;
    const { lines, cut } = fitText([long], 60);
    for (const out of lines) expect(cellWidth(out)).toBeLessThanOrEqual(60);
    expect(lines.join('\n')).toContain('…');
    expect(lines.join('\n')).toContain('--state-dir');
    expect(cut).toEqual([long.trim()]);
  });

  it('keeps a quoted value with spaces (and a quote) in one piece', () => {
    const odd = commandLine(['recover'], { stateDir: "/tmp/it's my state dir", workspace: 'w' });
    const { lines } = fitText([`  Run \`${odd}\` again and again and again.`], 50);
    expect(pasted(lines)).toBe(odd);
    expect(lines.join('\n')).toContain(`--state-dir '/tmp/it'\\''s my state dir'`);
  });
});
