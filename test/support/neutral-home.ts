import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every shell a test starts (tmux panes, respawned sessions, daemons) inherits this environment:
// an empty HOME, so no rc file of the machine runs (root's .bashrc runs `pyenv init`, and a shell
// killed mid-start leaves pyenv's lock behind, after which every login shell hangs for 60 s).
const home = join(tmpdir(), 'helios-test-home');
mkdirSync(home, { recursive: true, mode: 0o700 });
process.env.HOME = home;
delete process.env.BASH_ENV;
delete process.env.ENV;
