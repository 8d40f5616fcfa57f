/** A small tmux-resurrect save file: two sessions, one running a program that is not a shell. */
export const SAVE = [
  'pane\twork\t0\t1\t:*\t0\ttitle\t:/home/me/proj\t1\tbash\t123\t500',
  'pane\twork\t1\t0\t:-\t0\ttitle\t:/home/me/other\t1\tvim\t124\t10',
  'pane\thelios-s2\t0\t1\t:*\t0\t\t:/srv\t1\tnode\t125\t0',
  'window\twork\t0\t:bash\t1\t:*\tlayout\t:',
  'state\twork\thelios-s2',
].join('\n');
