import type { WorkspaceFlags } from '../banner/choose-renderer.js';
import type { ParsedValues } from './cli-args.js';

/**
 * The options this command was called with that select its workspace (`-w`, `--state-dir`,
 * `-L`, `-S`, `--backend` unless auto), as data: the views put them into every command they
 * suggest, so pasting it acts on the same workspace, not the default one. Computed once per
 * command from its parsed argv; no output is ever rewritten.
 */
export function workspaceFlags(values: ParsedValues): WorkspaceFlags {
  const text = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    workspace: text('workspace'),
    stateDir: text('state-dir'),
    tmuxSocket: text('tmux-socket'),
    tmuxSocketPath: text('tmux-socket-path'),
    backend: text('backend'),
  };
}
