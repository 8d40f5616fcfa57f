import { describe, expect, it } from 'vitest';
import { commandLine, renderRemedy, type WorkspaceFlags } from '../../../banner/render-remedy.js';
import { Remedy, type RemedyCode } from '../../../specs/remedies.js';

/** A workspace whose options need quoting: a space, a quote, a socket name with a space. */
const FLAGS: WorkspaceFlags = {
  workspace: 'ws',
  stateDir: "/tmp/it's mine",
  tmuxSocket: 'my sock',
  backend: 'tmux',
};
const F = `-w ws --state-dir '/tmp/it'\\''s mine' -L 'my sock' --backend tmux`;
const RECOVER = `\`helios-recover recover ${F}\``;

/** Every code, an example of it and the CLI's text of it with FLAGS. */
const EXAMPLES: { [C in RemedyCode]: [Extract<Remedy, { code: C }>, string] } = {
  rerun_recover: [{ code: 'rerun_recover' }, `Run ${RECOVER} again once the cause is fixed.`],
  replan: [
    { code: 'replan' },
    `Run \`helios-recover plan ${F}\` to see the current state, then ${RECOVER} again.`,
  ],
  create_directory: [
    { code: 'create_directory', path: '/work/my app', sessionName: 'helios-a' },
    `Recreate /work/my app and run ${RECOVER} again, or take a new checkpoint without helios-a.`,
  ],
  fix_shell_command: [
    { code: 'fix_shell_command', sessionName: 'helios-a' },
    `Fix the shellCommand of helios-a in the checkpoint (or install the program), then run ${RECOVER} again.`,
  ],
  debug_shell_command: [
    {
      code: 'debug_shell_command',
      command: ['bash', '-c', "echo 'hi'; exit 3"],
      workingDirectory: '/w',
    },
    `Run \`bash -c 'echo '\\''hi'\\''; exit 3'\` in /w to see why it exits, fix the checkpoint's shellCommand, then run ${RECOVER} again.`,
  ],
  check_startup_directory: [
    { code: 'check_startup_directory', command: ['zsh', '-l'] },
    `Check what changes directory when \`zsh -l\` starts (rc files), then run ${RECOVER} again.`,
  ],
  fix_state_dir: [
    { code: 'fix_state_dir' },
    `Free space or make the state dir writable, then run ${RECOVER} again.`,
  ],
  check_multiplexer: [
    { code: 'check_multiplexer', backend: 'tmux' },
    `Check that tmux responds (\`tmux -L 'my sock' list-sessions\`), then run \`helios-recover plan ${F}\` again.`,
  ],
  recreate_entry: [
    { code: 'recreate_entry', label: 'entry #2' },
    `Recreate entry #2 by hand, then run \`helios-recover checkpoint ${F}\` to record it again.`,
  ],
  recreate_worktree: [
    {
      code: 'recreate_worktree',
      repository: '/src/my repo',
      worktreePath: '/src/my repo/.helios-worktrees/a',
      branch: 'helios/lane/a',
    },
    `Recreate the worktree with \`git -C '/src/my repo' worktree add '/src/my repo/.helios-worktrees/a' helios/lane/a\`, then run ${RECOVER} again.`,
  ],
  check_worktrees: [
    { code: 'check_worktrees', repository: '/src/r' },
    `Check \`git -C /src/r worktree list\`, then run \`helios-recover plan ${F}\` again.`,
  ],
  free_session_name: [
    { code: 'free_session_name', sessionName: 'helios-a', backend: 'tmux' },
    `Close or rename the live session helios-a if it is not needed (\`tmux -L 'my sock' rename-session -t =helios-a: NEW\`), then run ${RECOVER} again.`,
  ],
  restart_session: [
    { code: 'restart_session', sessionName: 'helios-z', backend: 'zellij' },
    `When what runs in session helios-z can stop, close it (\`zellij kill-session helios-z\`) then run ${RECOVER} again: it is recreated whole.`,
  ],
  settle_resurrected: [
    { code: 'settle_resurrected', sessionName: 'helios-z' },
    `Press ENTER in the waiting panes of zellij session helios-z, or close it (\`zellij kill-session helios-z\`) if nothing in it is needed, then run ${RECOVER} again.`,
  ],
  review_orphans: [
    { code: 'review_orphans', reviewId: 'r-0000abcd' },
    `Review r-0000abcd with \`helios-recover orphans ${F}\`.`,
  ],
  clean_orphans: [
    { code: 'clean_orphans' },
    `Fix what could not be observed, then run \`helios-recover orphans clean ${F}\`.`,
  ],
  dismiss_review: [
    { code: 'dismiss_review', reviewId: 'r-0000abcd' },
    `Dismiss it with \`helios-recover orphans dismiss ${F} r-0000abcd\`.`,
  ],
  approve_review: [
    { code: 'approve_review', reviewId: 'r-0000abcd', discardHiddenEdits: true },
    `Move those files away, or let them go with \`helios-recover orphans approve ${F} r-0000abcd --discard-hidden-edits\`.`,
  ],
  exit_safe_mode: [
    { code: 'exit_safe_mode' },
    `Fix the cause, then run \`helios-recover safe-mode exit ${F}\`.`,
  ],
  start_daemon: [{ code: 'start_daemon' }, `Start it with \`helios-recover run ${F}\`.`],
  list_sessions: [{ code: 'list_sessions' }, `Check with \`helios-recover session list ${F}\`.`],
  force_checkpoint: [
    { code: 'force_checkpoint' },
    `If the sessions are gone for good, write it anyway with \`helios-recover checkpoint ${F} --force\`.`,
  ],
  force_service_unit: [
    { code: 'force_service_unit' },
    `Replace it with \`helios-recover service install ${F} --force\`.`,
  ],
  allow_empty_checkpoint: [
    { code: 'allow_empty_checkpoint' },
    `Start the sessions first, or write an empty checkpoint with \`helios-recover checkpoint ${F} --allow-empty\`.`,
  ],
  force_import: [
    { code: 'force_import', format: 'tmux-resurrect', source: '/saves/my last', elsewhere: true },
    `Import it anyway with \`helios-recover import ${F} tmux-resurrect '/saves/my last' --force\`, or write it elsewhere with \`helios-recover import ${F} tmux-resurrect '/saves/my last' --out FILE\`.`,
  ],
  prune_session: [
    { code: 'prune_session', reviewId: 'r-0000abcd' },
    `End it with \`helios-recover orphans clean ${F} --prune\`, or approve it with \`helios-recover orphans approve ${F} r-0000abcd\`.`,
  ],
  allow_env: [
    { code: 'allow_env', names: ['DB_PASSWORD', 'GITHUB_TOKEN'] },
    'Keep one after all with --allow-env NAME (`--allow-env DB_PASSWORD,GITHUB_TOKEN` keeps all of them).',
  ],
};

describe('a remedy rendered for the CLI', () => {
  it('has an example for every code of the schema', () => {
    const codes = Remedy.options.map((option) => option.shape.code.value);
    expect(Object.keys(EXAMPLES).sort()).toEqual([...codes].sort());
  });

  it.each(Object.entries(EXAMPLES))(
    'words %s with the workspace flags, quoted',
    (_code, [remedy, text]) => {
      expect(Remedy.parse(remedy)).toEqual(remedy);
      expect(renderRemedy(remedy, FLAGS)).toBe(text);
    },
  );

  it('names no flag the CLI was not given, and never --backend auto', () => {
    expect(renderRemedy({ code: 'rerun_recover' })).toBe(
      'Run `helios-recover recover` again once the cause is fixed.',
    );
    expect(
      renderRemedy({ code: 'start_daemon' }, { backend: 'auto', tmuxSocketPath: '/s/t' }),
    ).toBe('Start it with `helios-recover run -S /s/t`.');
    expect(renderRemedy({ code: 'check_multiplexer', backend: 'zellij' }, FLAGS)).toContain(
      '(`zellij list-sessions`)',
    );
    expect(renderRemedy({ code: 'free_session_name', sessionName: 'a', backend: 'zellij' })).toBe(
      'Close or rename the live session a if it is not needed, then run `helios-recover recover` again.',
    );
    expect(renderRemedy({ code: 'approve_review', reviewId: 'r-1' })).toBe(
      'Approve it with `helios-recover orphans approve r-1`.',
    );
    expect(
      renderRemedy({ code: 'force_import', format: 'helios-v1', source: 'c.json' }, FLAGS),
    ).toBe(`Import it anyway with \`helios-recover import ${F} helios-v1 c.json --force\`.`);
    expect(
      renderRemedy({ code: 'force_import', format: 'helios-v1', source: 'c', out: '/o p.json' }),
    ).toBe("Import it anyway with `helios-recover import helios-v1 c --out '/o p.json' --force`.");
    expect(renderRemedy({ code: 'review_orphans' })).toBe(
      'Review them with `helios-recover orphans`.',
    );
  });

  it('says the code of a remedy it does not know instead of dropping it', () => {
    expect(renderRemedy({ code: 'from_the_future' } as unknown as Remedy)).toBe(
      'See remedy from_the_future.',
    );
  });

  it('puts the flags after the command and its subcommand, before its arguments', () => {
    expect(
      commandLine(['orphans', 'approve'], { stateDir: '/a b' }, ['r-1', '--discard-ignored']),
    ).toBe("helios-recover orphans approve --state-dir '/a b' r-1 --discard-ignored");
  });
});
