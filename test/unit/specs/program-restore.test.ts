import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RESTORE_PROGRAMS,
  isShellProgram,
  programOf,
  restoreProgram,
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
      argv: ['/usr/bin/tail', '-f', '/var/log/x'],
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
      argv: ['/opt/bin/claude', '--continue'],
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
    expect(programOf(['python3', 'script.py'])).toEqual({
      name: 'python3',
      argv: ['python3', 'script.py'],
    });
  });
});
