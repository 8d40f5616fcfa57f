#!/bin/sh
# Loads the tmux plugin into the server this runs under (helios-recover.tmux runs it, from TPM
# or a run-shell line): key bindings, autosave hooks and loop, restore on start.
set -u
if [ -z "${TMUX:-}" ]; then
  echo "helios-recover: load the plugin from tmux (TPM, or run-shell $(cd "$(dirname "$0")/.." && pwd)/helios-recover.tmux)" >&2
  exit 1
fi
SOCKET=$(tmux display-message -p '#{socket_path}') || exit 1
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

# Hook slots of ours (a reload replaces them, the user's own hooks stay).
SLOT=47
RESTORE_SLOT=48
problems=""
problem() {
  problems="$problems${problems:+; }$1"
}

# Commands refer to the plugin dir through this option: tmux's q: quotes it for the shell.
tm set-option -g @helios-recover-plugin-dir "$PLUGIN_ROOT"
action() {
  echo "run-shell -b \"sh #{q:@helios-recover-plugin-dir}/plugin/$1\""
}

# Key bindings (tmux-resurrect's habits): prefix + C-s checkpoints, prefix + C-r recovers.
bind() { # OPTION DEFAULT ACTION
  key=$(opt "$1" "$2")
  previous=$(opt "$1-bound" "")
  if [ -n "$previous" ] && [ "$previous" != "$key" ]; then
    tm unbind-key "$previous" 2>/dev/null
  fi
  if tm bind-key "$key" run-shell -b \
    "sh #{q:@helios-recover-plugin-dir}/plugin/action.sh $3 #{q:socket_path} #{q:client_name}"; then
    tm set-option -g "$1-bound" "$key"
  else
    problem "$1: tmux does not know the key '$key'"
  fi
}
bind @helios-recover-save-key C-s save
bind @helios-recover-restore-key C-r restore

# Autosave after every change of structure, debounced by autosave.sh; never via status-right.
HOOKS="session-created session-closed session-renamed window-linked window-unlinked
window-renamed after-split-window after-kill-pane pane-exited after-select-layout
after-resize-pane client-detached"
autosave=$(opt @helios-recover-autosave on)
case "$autosave" in on | off) ;; *)
  problem "@helios-recover-autosave must be on or off (got '$autosave')"
  autosave=on
  ;;
esac
for hook in $HOOKS; do
  if [ "$autosave" = on ]; then
    tm set-hook -g "${hook}[$SLOT]" "$(action "autosave.sh change #{q:socket_path}")"
  else
    tm set-hook -gu "${hook}[$SLOT]" 2>/dev/null
  fi
done

# Autosave on an interval: one loop per server (autosave.sh guards it with a pid file).
minutes=$(opt @helios-recover-autosave-interval 15)
case "$minutes" in
  '' | *[!0-9]*)
    problem "@helios-recover-autosave-interval must be a whole number of minutes, 0 for off (got '$minutes')"
    ;;
  0) ;;
  *)
    dir=$(rundir) || exit 1
    server_pid=$(tm display-message -p '#{pid}')
    loop=$(cat "$dir/interval.pid" 2>/dev/null) || loop=""
    if [ "$autosave" = on ] && { [ "${loop#* }" != "$server_pid" ] || ! kill -0 "${loop%% *}" 2>/dev/null; }; then
      sh "$PLUGIN_ROOT/plugin/autosave.sh" interval "$SOCKET" </dev/null >/dev/null 2>&1 &
    fi
    ;;
esac

# Restore on server start (opt-in): only when the plugin is loaded while the server has no
# session yet (tmux reads its config before creating the first one), once per server (pid and
# start time); the first session's creation runs it (restore-on-start.sh).
restore=$(opt @helios-recover-restore-on-start off)
tm set-hook -gu "session-created[$RESTORE_SLOT]" 2>/dev/null
rm -f "$SOCKET.helios-recover/restore-on-start.pending"
case "$restore" in
  on)
    dir=$(rundir) || exit 1
    server=$(tm display-message -p '#{pid} #{start_time}')
    if [ -z "$(tm list-sessions -F '#{session_id}' 2>/dev/null)" ] &&
      [ "$(cat "$dir/restore-on-start" 2>/dev/null)" != "$server" ]; then
      put "$dir/restore-on-start.pending" "$server"
      tm set-hook -g "session-created[$RESTORE_SLOT]" \
        "$(action "restore-on-start.sh #{q:socket_path}")"
    fi
    ;;
  off) ;;
  *) problem "@helios-recover-restore-on-start must be on or off (got '$restore')" ;;
esac

if [ -n "$problems" ]; then
  say "" "helios-recover: $problems"
  echo "helios-recover: $problems" >&2
  exit 1
fi
exit 0
