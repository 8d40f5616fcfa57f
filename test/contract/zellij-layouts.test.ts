import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { parse } from '@bgotink/kdl/v1-compat';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killMarked } from '../support/crash.js';
import { askUntilAnswered, createSandbox, type Sandbox, waitFor } from '../support/sandbox.js';
import { readEnviron } from '../support/tmux-facts.js';
import { realZellijBinary, ZELLIJ_EMULATOR, zellijBackend } from './backends.js';

// zellij 0.45.1 from layouts (emulated and real): list-panes, dump-*, resurrection, new-pane.
const ZELLIJS: [string, string, boolean][] = [
  ['zellij emulator', ZELLIJ_EMULATOR, true],
  ['real zellij', realZellijBinary() ?? '', realZellijBinary() !== null],
];
type Pane = Record<string, unknown> & { is_plugin: boolean; is_suppressed: boolean };
/** Live processes whose parent is `pid` (zellij forks panes from a thread: found by ppid). */
const childrenOf = (pid: number) =>
  fs.readdirSync('/proc').flatMap((entry) => {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== pid || state === 'Z') return [];
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0$/, '').split('\0');
      const [cwd, env] = [fs.readlinkSync(`/proc/${entry}/cwd`), readEnviron(Number(entry))];
      return [{ pid: Number(entry), argv, cwd, env }];
    } catch {
      return []; // not a process, or gone meanwhile
    }
  });

/** A pane's `fields` (those it has) as `name=json` words: one line to compare. */
function show(p: Pane, keys: string) {
  const words = keys.split(' ').filter((k) => k in p);
  return words.map((k) => `${k}=${JSON.stringify(p[k])}`).join(' ');
}
const AT = 'pane_x pane_y pane_columns pane_rows';
const FIELDS = `id is_focused is_held title ${AT} terminal_command tab_id tab_position tab_name`;
const tab = (id: number, name: string) => `tab_id=${id} tab_position=${id} tab_name="${name}"`;
const META = 'session-metadata.kdl'; // zellij writes it once the session exists
const PLAIN = 'is_floating=false is_suppressed=false exited=false exit_status=null';

/** The brief's layout: a tab bar and a status bar around two tabs of commands with args. */
const FRAMED = (myDir: string, b: string) => `layout {
    default_tab_template {
        pane size=1 borderless=true { plugin location="zellij:tab-bar"; }; children
        pane size=2 borderless=true { plugin location="zellij:status-bar"; }
    }
    tab name="first" { pane split_direction="vertical" {
        pane size="70%" cwd="${myDir}" command="/bin/sh" { args "-c" "echo MARK1; exec sh"; }
        pane cwd="${b}" command="/bin/sh" focus=true { args "-c" "echo MARK2; exec sh"; }
    }; }
    tab name="second" focus=true { pane cwd="${b}" command="/bin/sleep" { args "600"; }; }
}`;
function block(head: string, body: string[]) {
  return [`${head} {`, ...body.flatMap((t) => t.split('\n')).map((l) => `    ${l}`), '}'];
}
/** dump-layout's text: `layout { ... }`, and the empty line zellij prints after it. */
const kdl = (...parts: string[][]) =>
  ['layout {', ...parts.flat().map((line) => `    ${line}`), '}', '', ''].join('\n');
const bar = (size: number, name: string) =>
  block(`pane size=${size} borderless=true`, [`plugin location="zellij:${name}"`]).join('\n');
const framed = (...body: string[]) => [bar(1, 'tab-bar'), ...body, bar(2, 'status-bar')];
const HELD = 'start_suspended true';
/** dump-layout of FRAMED once both shells have exec'd `sh`: each pane's argv now. */
const FRAMED_DUMP = (root: string) => {
  const sh = (where: string) => block(`pane command="sh" ${where}`, [HELD]);
  const split = [...sh('cwd="my dir" size="70%"'), ...sh('cwd="b" size="30%"')];
  const sleep = block('pane command="/bin/sleep" cwd="b"', ['args "600"', HELD]);
  const first = framed(...block('pane split_direction="vertical"', split));
  return kdl(
    [`cwd "${root}"`],
    block('tab name="first" hide_floating_panes=true', first),
    block('tab name="second" hide_floating_panes=true', framed(...sleep)),
    block('new_tab_template', framed('pane')),
  );
};

describe.each(ZELLIJS)('zellij layouts, panes and resurrection: %s', (label, binary, present) => {
  let sandbox: Sandbox;
  let backend: ReturnType<typeof zellijBackend>;
  beforeEach(() => {
    sandbox = createSandbox();
    backend = zellijBackend(sandbox, binary, label);
  });
  afterEach(async () => {
    backend.cleanup();
    await killMarked(sandbox.workspaceId); // what the emulator's SIGKILLed server left running
    sandbox.cleanup();
  });

  /** The CLI as a user runs it: SHELL=/bin/sh, and this test's marker (panes inherit it). */
  const envOf = (env: Record<string, string>) => ({
    ...{ ...backend.env, SHELL: '/bin/sh', HELIOS_WORKSPACE_ID: sandbox.workspaceId, ...env },
  });
  const zellij = (args: string[], cwd = sandbox.root, env: Record<string, string> = {}) =>
    execFileSync(binary, args, { cwd, env: envOf(env), encoding: 'utf8', stdio: 'pipe' });
  const action = (s: string, ...args: string[]) => zellij(['--session', s, 'action', ...args]);
  const panes = (name: string): Pane[] =>
    JSON.parse(askUntilAnswered(() => action(name, 'list-panes', '-j', '-a')));
  const terminals = (name: string) => panes(name).filter((pane) => !pane.is_plugin);
  /** The tab and status bars: zellij lists its plugin panes once they are loaded. */
  const bars = (name: string) =>
    panes(name).filter((p) => /^zellij:(tab|status)-bar$/.test(`${p.plugin_url}`));
  const screen = (s: string, id: number) =>
    action(s, 'dump-screen', '--full', '--pane-id', `terminal_${id}`);
  const layout = (text: string) => {
    fs.writeFileSync(join(sandbox.root, 'layout.kdl'), text);
    return join(sandbox.root, 'layout.kdl');
  };
  const info = (name: string, file: string) =>
    join(backend.env.XDG_CACHE_HOME!, 'zellij/contract_version_1/session_info', name, file);
  /** A session's pane processes by ZELLIJ_PANE_ID once they are `argvs` (`id:argv`) and zellij
   * wrote session-metadata.kdl (before, a client may not find the session, or crash it). */
  async function paneProcesses(name: string, ...argvs: string[]) {
    const byId = () => {
      const procs = childrenOf(backend.serverPid(name) ?? -1);
      return new Map(procs.map((proc) => [Number(proc.env.ZELLIJ_PANE_ID ?? -1), proc]));
    };
    const now = () => [...byId()].map(([id, proc]) => `${id}:${proc.argv.join(' ')}`).sort();
    const up = () => now().join() === argvs.join() && fs.existsSync(info(name, META));
    await waitFor(up, 10_000, `${name}: ${argvs.join(', ')}`);
    return byId();
  }

  it.skipIf(!present)('--layout FILE attach --create-background', async () => {
    const [myDir, b, client] = ['my dir', 'b', 'client'].map((dir) => sandbox.dir(dir));
    const file = layout(FRAMED(myDir!, b!));
    zellij(['--layout', file, 'attach', '--create-background', 'lay'], client, { MARK: 'c1' });
    // Each pane runs its command with its args at once, in its cwd, with the client's env.
    const procs = await paneProcesses('lay', '0:sh', '1:sh', '2:/bin/sleep 600');
    expect([0, 1, 2].map((id) => procs.get(id)!.cwd)).toEqual([myDir, b, b]);
    for (const { env } of procs.values())
      expect(env).toMatchObject({ MARK: 'c1', SHELL: '/bin/sh', ZELLIJ_SESSION_NAME: 'lay' });
    await waitFor(() => screen('lay', 0).includes('MARK1'), 10_000, 'MARK1 on pane 0');
    await waitFor(() => screen('lay', 1).includes('MARK2'), 10_000, 'MARK2 on pane 1');
    expect(screen('lay', 0)).not.toContain('MARK2');
    // Plugin panes have ids of their own (zellij's own suppressed zellij:link plugin left out).
    await waitFor(() => bars('lay').length === 4, 10_000, 'the bars');
    expect(bars('lay').map((p) => show(p, `id title tab_id ${AT}`))).toEqual(
      [0, 1].flatMap((t) => [
        `id=${1 + 2 * t} title="zellij:tab-bar" tab_id=${t} pane_x=0 pane_y=0 pane_columns=50 pane_rows=1`,
        `id=${2 + 2 * t} title="zellij:status-bar" tab_id=${t} pane_x=0 pane_y=48 pane_columns=50 pane_rows=2`,
      ]),
    );
    const [one, two] = [1, 2].map((n) => `"/bin/sh -c echo MARK${n}; exec sh"`);
    const fields = `${FIELDS} is_floating is_suppressed exited exit_status pane_command pane_cwd`;
    expect(terminals('lay').map((p) => show(p, fields))).toEqual([
      `id=0 is_focused=false is_held=false title=${one} pane_x=0 pane_y=1 pane_columns=35 pane_rows=47 terminal_command=${one} ${tab(0, 'first')} ${PLAIN} pane_command="sh" pane_cwd="${myDir}"`,
      `id=1 is_focused=true is_held=false title=${two} pane_x=35 pane_y=1 pane_columns=15 pane_rows=47 terminal_command=${two} ${tab(0, 'first')} ${PLAIN} pane_command="sh" pane_cwd="${b}"`,
      `id=2 is_focused=true is_held=false title="/bin/sleep 600" pane_x=0 pane_y=1 pane_columns=50 pane_rows=47 terminal_command="/bin/sleep 600" ${tab(1, 'second')} ${PLAIN} pane_command="/bin/sleep 600" pane_cwd="${b}"`,
    ]);
    expect(action('lay', 'dump-layout')).toBe(FRAMED_DUMP(sandbox.root));
    // Without a layout: zellij's default one, the bars around a pane of 50x48.
    zellij(['attach', '--create-background', 'plain'], client);
    await paneProcesses('plain', '0:/bin/sh');
    expect(terminals('plain').map((p) => show(p, `title tab_name pane_cwd ${AT}`))).toEqual([
      `title="Pane #1" tab_name="Tab #1" pane_cwd="${client}" pane_x=0 pane_y=1 pane_columns=50 pane_rows=48`,
    ]);
    const lines = action('plain', 'dump-layout').split('\n');
    const at = lines.findIndex((line) => line.startsWith('    tab name="Tab #1"')) + 1;
    const tabBars = [bar(1, 'tab-bar'), 'pane', bar(1, 'status-bar')].join('\n');
    expect(lines.slice(at, at + 7).join('\n')).toBe(tabBars.replace(/^/gm, ' '.repeat(8)));
  });

  it.skipIf(!present)('a shell pane, a program typed into it; 50x50 without bars', async () => {
    const [a, b, client] = ['a', 'b', 'client'].map((dir) => sandbox.dir(dir));
    const file = layout(`layout { tab name="shells" { pane split_direction="horizontal" {
        pane cwd="${a}"
        pane size=10 cwd="${b}" command="/bin/sh" { args "-c" "exec /bin/sh"; }
    }; }; }`);
    zellij(['-l', file, 'attach', '-b', 'sh1'], client, { MARK: 'c2' });
    // A pane without command runs the client's $SHELL; it dumps bare, as a pane that execs it.
    const procs = await paneProcesses('sh1', '0:/bin/sh', '1:/bin/sh');
    expect([procs.get(0)!.cwd, procs.get(1)!.cwd, procs.get(0)!.env.MARK]).toEqual([a, b, 'c2']);
    const exec = '"/bin/sh -c exec /bin/sh"';
    expect(terminals('sh1').map((p) => show(p, `${FIELDS} pane_command pane_cwd`))).toEqual([
      `id=0 is_focused=true is_held=false title="Pane #1" pane_x=0 pane_y=0 pane_columns=50 pane_rows=40 terminal_command=null ${tab(0, 'shells')} pane_command="/bin/sh" pane_cwd="${a}"`,
      `id=1 is_focused=false is_held=false title=${exec} pane_x=0 pane_y=40 pane_columns=50 pane_rows=10 terminal_command=${exec} ${tab(0, 'shells')} pane_command="/bin/sh" pane_cwd="${b}"`,
    ]);
    const shells = (...first: string[]) =>
      block('tab name="shells" hide_floating_panes=true', [...first, 'pane cwd="b" size=10']);
    const dump = (...first: string[]) =>
      kdl([`cwd "${sandbox.root}"`], shells(...first), block('new_tab_template', []));
    expect(action('sh1', 'dump-layout')).toBe(dump('pane cwd="a"'));
    // What zellij shows a shell pane running is its foreground process: the typed program.
    action('sh1', 'write-chars', '--pane-id', 'terminal_0', 'sleep 601\n');
    const typed = () => childrenOf(procs.get(0)!.pid).some((p) => p.argv.join(' ') === 'sleep 601');
    await waitFor(typed, 10_000, 'the typed program');
    const now = show(terminals('sh1')[0]!, 'pane_command pane_cwd');
    expect(now).toBe(`pane_command="sleep 601" pane_cwd="${a}"`);
    const command = block('pane command="sleep" cwd="a"', ['args "601"', HELD]);
    expect(action('sh1', 'dump-layout')).toBe(dump(...command));
  });

  it.skipIf(!present)('save-session, EXITED after a SIGKILL, attach -b resurrects', async () => {
    const [myDir, b] = ['my dir', 'b'].map((dir) => sandbox.dir(dir));
    zellij(['--layout', layout(FRAMED(myDir!, b!)), 'attach', '-b', 'res']);
    await paneProcesses('res', '0:sh', '1:sh', '2:/bin/sleep 600');
    await waitFor(() => bars('res').length === 4, 10_000, 'the bars');
    action('res', 'save-session'); // it writes dump-layout's KDL to zellij's resurrection file
    const saved = fs.readFileSync(info('res', 'session-layout.kdl'), 'utf8');
    expect(`${saved}\n`).toBe(FRAMED_DUMP(sandbox.root));
    expect(parse(saved).nodes.map((node) => node.getName())).toEqual(['layout']);

    backend.crash(['res']);
    const exited = /^res \[Created .+ ago\] \(EXITED - attach to resurrect\)$/m;
    const listing = () => spawnSync(binary, ['ls', '-n'], { env: envOf({}), encoding: 'utf8' });
    await waitFor(() => exited.test(listing().stdout), 10_000, 'the EXITED session');
    fs.rmSync(info('res', META), { force: true }); // the new server writes it
    zellij(['attach', '-b', 'res'], '/');
    await paneProcesses('res');
    // Every command pane waits for ENTER: held, no exit status, and no process at all.
    const fields = `id is_held exited exit_status terminal_command pane_command ${AT}`;
    expect(terminals('res').map((p) => show(p, fields))).toEqual([
      'id=0 is_held=true exited=false exit_status=null terminal_command="sh" pane_x=0 pane_y=1 pane_columns=35 pane_rows=47',
      'id=1 is_held=true exited=false exit_status=null terminal_command="sh" pane_x=35 pane_y=1 pane_columns=15 pane_rows=47',
      'id=2 is_held=true exited=false exit_status=null terminal_command="/bin/sleep 600" pane_x=0 pane_y=1 pane_columns=50 pane_rows=47',
    ]);
    expect(childrenOf(backend.serverPid('res')!)).toEqual([]);
    action('res', 'write', '--pane-id', 'terminal_2', '13'); // ENTER
    expect((await paneProcesses('res', '2:/bin/sleep 600')).get(2)!.cwd).toBe(b);
    const started = terminals('res').map((p) => show(p, 'is_held pane_command'));
    expect(started.join(', ')).toBe(
      'is_held=true, is_held=true, is_held=false pane_command="/bin/sleep 600"',
    );
  });

  it.skipIf(!present)("new-pane runs the creating client's $SHELL, not its own", async () => {
    const [a, other] = ['a', 'other'].map((dir) => sandbox.dir(dir));
    const file = layout(`layout {
    tab name="one" { pane cwd="${a}" command="/bin/sleep" { args "602"; }; }
    tab name="two" focus=true { pane cwd="${a}" command="/bin/sleep" { args "603"; }; }
}`);
    zellij(['--layout', file, 'attach', '-b', 'np'], a, { MARK: 'creator' });
    await paneProcesses('np', '0:/bin/sleep 602', '1:/bin/sleep 603');
    const opener = { SHELL: '/bin/bash', MARK: 'opener' };
    const opened = zellij(['--session', 'np', 'action', 'new-pane'], other, opener);
    expect(opened).toMatch(/^(terminal_2\n)?$/); // its id (real zellij once printed none, loaded)
    const procs = await paneProcesses('np', '0:/bin/sleep 602', '1:/bin/sleep 603', '2:/bin/sh');
    const { cwd, env } = procs.get(2)!;
    expect([cwd, env.MARK, env.SHELL]).toEqual([a, 'creator', '/bin/sh']);
    const fields = `id tab_name title terminal_command is_focused ${AT}`;
    expect(terminals('np').map((p) => show(p, fields))).toEqual([
      'id=0 tab_name="one" title="/bin/sleep 602" terminal_command="/bin/sleep 602" is_focused=true pane_x=0 pane_y=0 pane_columns=50 pane_rows=25',
      'id=2 tab_name="one" title="Pane #2" terminal_command=null is_focused=false pane_x=0 pane_y=25 pane_columns=50 pane_rows=25',
      'id=1 tab_name="two" title="/bin/sleep 603" terminal_command="/bin/sleep 603" is_focused=true pane_x=0 pane_y=0 pane_columns=50 pane_rows=50',
    ]);
  });
});
