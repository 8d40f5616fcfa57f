import { execFileSync, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, waitFor } from '../support/sandbox.js';
import { tmuxSessions } from '../support/tmux-facts.js';

// The tmux plugin loaded the way a user loads it (a config file that runs helios-recover.tmux),
// on a private server, driven through its real key bindings: a tmux client attached to the
// server runs in a pane of a second private server, and `send-keys` to that pane types the
// prefix and the key into the client, as a terminal would.

const PLUGIN = fileURLToPath(new URL('../../helios-recover.tmux', import.meta.url));
const LOADED = 20_000;

/** PATH without any helios-recover on it: the plugin falls back to the package's own dist/. */
const PATH = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((dir) => {
    try {
      accessSync(join(dir, 'helios-recover'), constants.X_OK);
      return false;
    } catch {
      return true;
    }
  })
  .join(delimiter);

interface Checkpoint {
  generation: number;
  sessions: { sessionName: string; windows: unknown[] }[];
}

describe('tmux plugin on real tmux', () => {
  let sandbox: Sandbox;
  let conf: string;
  let client: string;
  const runDir = () => `/tmp/tmux-${process.getuid!()}/${sandbox.socket}.helios-recover`;
  const outer = (...args: string[]) =>
    execFileSync('tmux', ['-L', client, ...args], { encoding: 'utf8', stdio: 'pipe' });

  /** The config a user writes: options, then the plugin's run-shell line. */
  function configure(options: Record<string, string>): void {
    const lines = [
      "set -g default-command 'bash --noprofile --norc -i'",
      `set -g @helios-recover-workspace ${sandbox.workspaceId}`,
      `set -g @helios-recover-state-dir '${sandbox.stateDir}'`,
      ...Object.entries(options).map(([name, value]) => `set -g ${name} '${value}'`),
      `run-shell '${PLUGIN}'`,
    ];
    writeFileSync(conf, `${lines.join('\n')}\n`);
  }

  /** Starts the server with the config, its first session being `name`. */
  function startServer(name: string): void {
    execFileSync(
      'tmux',
      ['-L', sandbox.socket, '-f', conf, 'new-session', '-d', '-s', name, '-c', sandbox.root],
      { env: { ...process.env, PATH }, stdio: 'pipe' },
    );
  }

  async function attachClient(session: string): Promise<void> {
    outer(
      ...['-f', '/dev/null', 'new-session', '-d', '-s', 'term', '-x', '120', '-y', '30'],
      `env -u TMUX tmux -L ${sandbox.socket} attach -t ${session}`,
    );
    await waitFor(() => sandbox.tmux('list-clients').trim() !== '', 10_000, 'attached client');
  }

  /** Types prefix + key into the attached client. */
  const press = (key: string) => outer('send-keys', '-t', 'term', 'C-b', key);
  const screen = () => outer('capture-pane', '-p', '-t', 'term');
  const sessions = () => tmuxSessions(sandbox).map((session) => session.name);
  const checkpoint = (): Checkpoint | null => {
    try {
      return JSON.parse(readFileSync(join(sandbox.stateDir, 'checkpoint.json'), 'utf8'));
    } catch {
      return null;
    }
  };
  const names = (c: Checkpoint | null) => (c?.sessions ?? []).map((s) => s.sessionName).sort();
  const readRun = (file: string) => {
    try {
      return readFileSync(join(runDir(), file), 'utf8').trim();
    } catch {
      return '';
    }
  };
  const autosaveIdle = () => !existsSync(join(runDir(), 'autosave.lock'));
  /** Processes of the plugin's scripts working for this sandbox's server. */
  const pluginProcesses = () =>
    readdirSync('/proc').filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return argv.includes('/plugin/') && argv.includes(`/${sandbox.socket}\0`);
      } catch {
        return false;
      }
    });
  /** kill-server returns before the server has exited: wait for it. */
  async function killServer(): Promise<void> {
    const pid = Number(sandbox.tmux('display', '-p', '#{pid}').trim());
    sandbox.tmux('kill-server');
    await waitFor(() => !existsSync(`/proc/${pid}`), 10_000, 'the server to exit');
  }

  beforeEach(() => {
    sandbox = createSandbox();
    client = `${sandbox.socket}-client`;
    conf = join(sandbox.root, 'tmux.conf');
  });
  afterEach(async () => {
    for (const socket of [client, sandbox.socket])
      try {
        execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
      } catch {
        // not running
      }
    // The interval loop and the saver end by themselves once their server is gone.
    await waitFor(
      () => pluginProcesses().length === 0,
      15_000,
      'the plugin processes to end with their server',
    );
    rmSync(runDir(), { recursive: true, force: true });
    sandbox.cleanup();
  });

  it('prefix + C-s checkpoints and prefix + C-r recovers, each with a status message', async () => {
    configure({ '@helios-recover-autosave': 'off' });
    startServer('work');
    sandbox.tmux('new-session', '-d', '-s', 'notes', '-c', sandbox.root);
    await sandbox.panesReady();
    await attachClient('work');

    press('C-s');
    await waitFor(
      () => screen().includes('helios-recover: checkpoint 0 written (2 sessions)'),
      LOADED,
      'the checkpoint message in the status line',
    );
    expect(names(checkpoint())).toEqual(['notes', 'work']);

    sandbox.tmux('kill-session', '-t', 'notes');
    press('C-r');
    await waitFor(
      () => screen().includes('helios-recover: recovered: 1 restored, 1 live, 0 failed'),
      LOADED,
      'the recover message in the status line',
    );
    expect(sessions().sort()).toEqual(['notes', 'work']);
  });

  it('autosaves once after a burst of changes, and drops a session killed while the server lives', async () => {
    configure({ '@helios-recover-autosave-interval': '0', '@helios-recover-autosave-delay': '1' });
    startServer('work');
    sandbox.tmux('new-session', '-d', '-s', 'notes', '-c', sandbox.root);
    await sandbox.panesReady();
    await waitFor(() => names(checkpoint()).length === 2 && autosaveIdle(), LOADED, 'autosave');
    const before = checkpoint()!.generation;

    // One burst: 4 new windows in one tmux command list.
    sandbox.tmux(
      ...['new-window', '-t', 'work:', ';', 'new-window', '-t', 'work:', ';'],
      ...['new-window', '-t', 'work:', ';', 'new-window', '-t', 'work:'],
    );
    await waitFor(
      () => checkpoint()!.sessions.find((s) => s.sessionName === 'work')!.windows.length === 5,
      LOADED,
      'the autosave of the new windows',
    );
    await waitFor(autosaveIdle, LOADED, 'the saver to finish');
    expect(checkpoint()!.generation).toBe(before + 1);

    sandbox.tmux('kill-session', '-t', 'notes');
    await waitFor(() => names(checkpoint()).join() === 'work', LOADED, 'notes dropped');
    await attachClient('work');
    press('C-r');
    await waitFor(() => readRun('restore.result') !== '', LOADED, 'the recover binding');
    expect(readRun('restore.result')).toMatch(/^0 recovered/);
    expect(sessions()).toEqual(['work']);
  });

  it('restores on server start once, and not from a missing checkpoint', async () => {
    configure({ '@helios-recover-restore-on-start': 'on', '@helios-recover-autosave': 'off' });
    startServer('boot');
    await waitFor(() => readRun('restore-on-start.result') !== '', LOADED, 'restore on start');
    expect(readRun('restore-on-start.result')).toBe('skipped: no checkpoint');

    sandbox.tmux('new-session', '-d', '-s', 'api', '-c', sandbox.root);
    sandbox.tmux('new-session', '-d', '-s', 'db', '-c', sandbox.root);
    await sandbox.panesReady();
    await attachClient('api');
    press('C-s');
    await waitFor(() => readRun('save.result').startsWith('0 '), LOADED, 'the checkpoint');
    await killServer();

    rmSync(join(runDir(), 'restore-on-start.result'));
    startServer('boot');
    await waitFor(() => readRun('restore-on-start.result') !== '', LOADED, 'restore on start');
    expect(readRun('restore-on-start.result')).toMatch(
      /^0 recovered: 2 restored, 1 live, 0 failed/,
    );
    expect(sessions().sort()).toEqual(['api', 'boot', 'db']);
    const marker = readRun('restore-on-start');

    // Loading the plugin again into the same server, even without sessions, does not restore.
    sandbox.tmux('set', '-g', 'exit-empty', 'off');
    for (const name of ['api', 'boot', 'db']) sandbox.tmux('kill-session', '-t', name);
    sandbox.tmux('source-file', conf);
    expect(sandbox.tmux('show-hooks', '-g', 'session-created')).not.toContain('restore-on-start');
    sandbox.tmux('new-session', '-d', '-s', 'again', '-c', sandbox.root);
    expect(readRun('restore-on-start')).toBe(marker);
    expect(sessions()).toEqual(['again']);
  });

  it('starts one autosave loop per server, which ends with its server', async () => {
    configure({});
    startServer('work');
    await waitFor(() => readRun('interval.pid') !== '', LOADED, 'the autosave loop');
    const [loop, server] = readRun('interval.pid').split(' ').map(Number);
    expect(server).toBe(Number(sandbox.tmux('display', '-p', '#{pid}').trim()));
    sandbox.tmux('run-shell', PLUGIN); // loaded again: the same loop stays
    expect(readRun('interval.pid')).toBe(`${loop} ${server}`);
    await killServer();
    await waitFor(() => readRun('interval.pid') === '', 15_000, 'the loop to end');
  });

  it('says in one line what is wrong with an option', async () => {
    configure({ '@helios-recover-autosave-interval': 'often' });
    startServer('work');
    // Run as tmux's run-shell runs it: with TMUX naming the server.
    const [path, pid] = sandbox.tmux('display', '-p', '#{socket_path} #{pid}').trim().split(' ');
    const load = spawnSync(PLUGIN, { env: { ...process.env, TMUX: `${path},${pid},0` } });
    expect(load.status).toBe(1);
    expect(String(load.stderr)).toBe(
      "helios-recover: @helios-recover-autosave-interval must be a whole number of minutes, 0 for off (got 'often')\n",
    );
  });
});
