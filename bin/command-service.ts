import { fileURLToPath } from 'node:url';
import { GLOBAL_HELP, parseCommandArgs, UsageError, workspaceOptions } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { didYouMean } from './did-you-mean.js';

const ACTIONS = ['install', 'uninstall', 'status'] as const;
type Action = (typeof ACTIONS)[number];

const SERVICE_HELP = `Usage: helios-recover service <install|uninstall|status> [options]

Keeps \`helios-recover run\` going as a systemd user service, one unit per workspace:
$XDG_CONFIG_HOME/systemd/user/helios-recover-<workspace>.service (default ~/.config). The unit
runs node and this CLI by absolute path with the workspace options given here, restarts the
daemon when it fails (Restart=on-failure, at most 5 starts in 300 s), stops only the daemon
(KillMode=process: tmux and zellij servers keep their sessions) and keeps PATH, SHELL, the
locale, TMUX_TMPDIR and HELIOS_ZELLIJ_BIN of the installing shell, nothing else.

Actions:
  install     write the unit, then daemon-reload and enable --now it (--help for options)
  uninstall   disable --now the unit, remove its file, daemon-reload
  status      whether the unit file is there and ours; is-enabled / is-active

Where no systemd user manager answers, the file is still written and one line says what to do
instead (\`loginctl enable-linger\`, or the command that runs the daemon by hand).

${GLOBAL_HELP}`;

const ACTION_HELP: Record<Action, string> = {
  install: `Usage: helios-recover service install [--no-start] [--print] [--force] [options]

Writes the systemd user unit that runs \`helios-recover run\` with this command's workspace
options (-w, --state-dir, --backend, -L, -S, --timeout, --prune, --allow-env,
--restore-programs), then \`systemctl --user daemon-reload\` and \`enable --now\` when a user
manager answers. Installing again replaces the unit written before (atomically).

Options:
      --no-start   write the unit only
      --print      print the unit's text and write nothing
      --force      replace a unit file of that name that helios-recover did not write

Exit status: 0 written (started, or the line says what to do instead), 1 error.`,
  uninstall: `Usage: helios-recover service uninstall [options]

Stops and disables the workspace's unit (when a user manager answers), removes its file and
reloads systemd. A file helios-recover did not write is left as it is (exit 1).

Exit status: 0 removed or not installed, 1 error.`,
  status: `Usage: helios-recover service status [options]

Whether the workspace's unit file exists and was written by helios-recover, and, when a user
manager answers, \`systemctl --user is-enabled\` and \`is-active\` of it.

Exit status: 0, 1 error.`,
};

const INSTALL_OPTIONS = ['force', 'no-start', 'print'] as const;

export async function runServiceCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { force: { type: 'boolean' }, 'no-start': { type: 'boolean' }, print: { type: 'boolean' } },
    1,
  );
  const [word] = positionals;
  if (values.help) {
    const action = ACTIONS.find((known) => known === word);
    io.out(`${action ? `${ACTION_HELP[action]}\n\n${GLOBAL_HELP}` : SERVICE_HELP}\n`);
    return 0;
  }
  if (word === undefined) throw new UsageError('which action? install, uninstall or status');
  const action = ACTIONS.find((known) => known === word);
  if (!action) throw new UsageError(`unknown service action "${word}"${didYouMean(word, ACTIONS)}`);
  const misplaced = INSTALL_OPTIONS.find((name) => values[name] && action !== 'install');
  if (misplaced) throw new UsageError(`option --${misplaced} is for \`service install\` only`);
  if (values.print && values['no-start'])
    throw new UsageError('--print writes nothing: --no-start has nothing to add to it');
  const compose = await import('../controllers/compose.js');
  const config = compose.configure(workspaceOptions(values, io));
  const json = (value: unknown) => io.out(`${JSON.stringify({ action, ...(value as object) })}\n`);
  if (action === 'status') {
    const status = await compose.readServiceStatus(config);
    if (values.json) json(status);
    else {
      const file = !status.installed
        ? 'not installed'
        : status.ours
          ? `${status.path} (written by helios-recover)`
          : `${status.path} (not written by helios-recover)`;
      io.out(`Unit ${status.unit}: ${file}.\n`);
      io.out(
        status.systemd.state === 'reachable'
          ? `systemd: ${status.enabled}, ${status.active}.\n`
          : `systemd: ${reachText(status.systemd)}.\n`,
      );
    }
    return 0;
  }
  if (action === 'uninstall') {
    const removed = await compose.uninstallService(config);
    const failed = removed.steps.find((step) => !step.ok);
    if (values.json) json(removed);
    else if (failed) io.err(`helios-recover: ${failed.command} failed: ${failed.output}\n`);
    else if (!removed.removed) io.out(`${removed.path} is not there: nothing to uninstall.\n`);
    else {
      const how =
        removed.systemd?.state === 'reachable'
          ? 'stopped, disabled, file removed, systemd reloaded'
          : `file removed; systemd was not asked (${reachText(removed.systemd!)}): stop a daemon started by hand yourself`;
      io.out(`Uninstalled ${removed.unit}: ${how}.\n`);
    }
    return failed ? 1 : 0;
  }
  const cliPath = fileURLToPath(new URL('./helios-recover.js', import.meta.url));
  const installed = await compose
    .installService(
      config,
      { nodePath: process.execPath, cliPath },
      {
        force: values.force === true,
        start: values['no-start'] !== true,
        print: values.print === true,
      },
    )
    .catch(async (error: Error & { remedy?: { code: string } }) => {
      if (error.remedy?.code !== 'force_service_unit') throw error;
      throw new Error(`${error.message} (--force replaces it)`);
    });
  const failed = installed.steps.find((step) => !step.ok);
  if (values.json) json(installed);
  else if (installed.written === 'printed') io.out(installed.text);
  else {
    const { path, unit, shellUnit } = installed;
    io.out(
      installed.written === 'unchanged'
        ? `${path} is up to date (unit ${unit}).\n`
        : `${installed.written === 'created' ? 'Wrote' : 'Replaced'} ${path} (unit ${unit}).\n`,
    );
    const enable = `systemctl --user daemon-reload && systemctl --user enable --now ${shellUnit}`;
    const byHand = `nohup ${installed.manualCommand} >/dev/null 2>&1 & (its events go to ${config.stateDir}/audit.jsonl)`;
    const systemd = installed.systemd;
    if (failed) io.err(`helios-recover: ${failed.command} failed: ${failed.output}\n`);
    else if (!systemd) io.out(`Not started (--no-start); to start it: ${enable}\n`);
    else if (systemd.state === 'reachable')
      io.out(
        `Enabled and started ${unit}: \`systemctl --user status ${shellUnit}\` shows it, \`journalctl --user -u ${shellUnit}\` its output.\n`,
      );
    else if (systemd.state === 'no-systemctl')
      io.out(
        `Not started: systemd is not available here (${systemd.reason}); run the daemon yourself: ${byHand}\n`,
      );
    else
      io.out(
        `Not started: no systemd user manager answers (${systemd.reason}); \`loginctl enable-linger "$USER"\` starts one that outlives logins, then: ${enable}; until then run it yourself: ${byHand}\n`,
      );
  }
  return failed ? 1 : 0;
}

function reachText(reach: { state: string; reason?: string }): string {
  return reach.state === 'no-systemctl'
    ? `not available (${reach.reason})`
    : `no user manager answers (${reach.reason})`;
}
