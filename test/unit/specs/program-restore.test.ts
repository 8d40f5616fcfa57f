import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RESTORE_PROGRAMS,
  isShellProgram,
  printable,
  programOf,
  restoreProgram,
  takesTypedPrograms,
} from '../../../specs/program-restore.js';

const none = { hasSessionVim: false };

describe('the restore table', () => {
  it('runs the default programs again with their argv exactly as saved', () => {
    expect(restoreProgram(['less', '-R', 'my file.log'], {}, none)).toEqual({
      run: true,
      argv: ['less', '-R', 'my file.log'],
    });
    expect(restoreProgram(['/usr/bin/tail', '-f', '/var/log/x'], {}, none)).toEqual({
      run: true,
      argv: ['tail', '-f', '/var/log/x'],
    });
    // By its name on the pane's PATH, never by the path the checkpoint names.
    expect(restoreProgram(['/tmp/evil/vim', 'a'], {}, none)).toEqual({
      run: true,
      argv: ['vim', 'a'],
    });
    expect(restoreProgram(['tail', 'x'], {}, none)).toMatchObject({ run: false });
  });

  it('starts nothing else unless named, and everything with *', () => {
    expect(restoreProgram(['ssh', 'prod-db'], {}, none)).toEqual({
      run: false,
      why: 'ssh is not in the restore list',
    });
    expect(restoreProgram(['ssh', 'prod-db'], { programs: ['ssh'] }, none)).toEqual({
      run: true,
      argv: ['ssh', 'prod-db'],
    });
    expect(restoreProgram(['rm', '-rf', 'x'], { programs: ['*'] }, none)).toMatchObject({
      run: true,
    });
  });

  it('keeps a default program only with arguments that cannot run a command', () => {
    for (const argv of [
      ['vim', '-c', '!rm -rf ~'],
      ['nvim', '--cmd', 'x'],
      ['vim', '+!id'],
      ['less', '+!id', 'f'],
      ['man', '-P', 'sh -c id', 'ls'],
      ['emacs', '--eval', '(shell-command "id")'],
    ])
      expect(restoreProgram(argv, {}, none), argv.join(' ')).toMatchObject({
        run: false,
        why: expect.stringMatching(/could run a command$/),
      });
    expect(restoreProgram(['watch', 'curl x | sh'], {}, none)).toMatchObject({ run: false });
    expect(restoreProgram(['vim', '-R', '-O', 'a.go', 'b.go'], {}, none)).toMatchObject({
      run: true,
    });
    expect(restoreProgram(['tail', '-n', '50', '-F', 'x.log'], {}, none)).toMatchObject({
      run: true,
    });
    // Named by the user, a program runs as saved.
    expect(restoreProgram(['vim', '-c', 'set ft=go'], { programs: ['vim'] }, none)).toEqual({
      run: true,
      argv: ['vim', '-c', 'set ft=go'],
    });
  });

  it('types only into shells that read POSIX quoting, and prints control characters escaped', () => {
    expect(takesTypedPrograms(['bash', '--norc', '-i'])).toBe(true);
    expect(takesTypedPrograms(['-zsh'])).toBe(true);
    expect(takesTypedPrograms(['fish'])).toBe(false);
    expect(takesTypedPrograms(['tcsh'])).toBe(false);
    expect(takesTypedPrograms(['bash', '-c', 'psql prod'])).toBe(false);
    expect(printable('a\u001b]52;c;x\u0007b')).toBe('a\\x1b]52;c;x\\x07b');
  });

  it('never types an argument that holds a control character, even with *', () => {
    for (const arg of ['a\nrm -rf ~', 'x\u0003y', 'x\u0015y', 'tab\there'])
      expect(restoreProgram(['less', arg], { programs: ['*'] }, none)).toEqual({
        run: false,
        why: 'its arguments hold control characters',
      });
  });

  it('reloads a vim session, continues an agent conversation', () => {
    expect(restoreProgram(['vim', 'a.go'], {}, { hasSessionVim: true })).toEqual({
      run: true,
      argv: ['vim', '-S'],
    });
    expect(restoreProgram(['nvim', 'a.go'], {}, none)).toEqual({
      run: true,
      argv: ['nvim', 'a.go'],
    });
    expect(restoreProgram(['claude', 'fix the build'], {}, none)).toEqual({
      run: true,
      argv: ['claude', '--continue'],
    });
    expect(restoreProgram(['node', '/opt/bin/claude', '--model', 'x'], {}, none)).toEqual({
      run: true,
      argv: ['claude', '--continue'],
    });
    expect(restoreProgram(['codex'], {}, none)).toEqual({
      run: true,
      argv: ['codex', 'resume', '--last'],
    });
  });

  it('never runs a program outside the table without *, whatever its argv (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
        fc.array(fc.string(), { maxLength: 4 }),
        (name, args) => {
          fc.pre(
            !DEFAULT_RESTORE_PROGRAMS.includes(name) &&
              ![
                'node',
                'bun',
                'deno',
                'python',
                'python3',
                'nodejs',
                'sh',
                'bash',
                'dash',
              ].includes(name),
          );
          expect(restoreProgram([name, ...args], {}, none).run).toBe(false);
          const allowed = restoreProgram([name, ...args], { programs: [name] }, none);
          expect(allowed).toEqual({ run: true, argv: [name, ...args] });
        },
      ),
    );
  });

  it('tells shells from programs, login shells included', () => {
    expect(isShellProgram(['-bash'])).toBe(true);
    expect(isShellProgram(['/usr/bin/zsh', '-l'])).toBe(true);
    expect(isShellProgram(['vim'])).toBe(false);
    expect(programOf(['python3', 'script.py'])).toEqual({ name: 'python3', args: ['script.py'] });
    expect(programOf(['python3', '/x/vim.py'])).toEqual({ name: 'python3', args: ['/x/vim.py'] });
  });
});
