#!/bin/sh
# Autosave. `autosave.sh change SOCKET` (run by the tmux hooks) asks for a checkpoint; the
# first asker becomes the saver, which waits until no change came for @helios-recover-
# autosave-delay seconds (default 2), so a burst of changes (a recover creating 25 sessions)
# makes one save, then runs `checkpoint --autosave`. `autosave.sh interval SOCKET` is the loop
# started once per server that asks every @helios-recover-autosave-interval minutes (default
# 15, 0 = off); it ends when the server at SOCKET is gone or another loop took its place.
set -u
SOCKET=${2:?usage: autosave.sh change|interval SOCKET}
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"
DIR=$(rundir) || exit 1
LOCK="$DIR/autosave.lock"

# The server at SOCKET answers (whichever it is: a new one after a restart saves its own state).
server_up() {
  [ -S "$SOCKET" ] && tm display-message -p '#{pid}' >/dev/null 2>&1
}

# A restore on start is pending or running for the server at SOCKET (restore-on-start.sh).
restoring() {
  if [ -f "$DIR/restore-on-start.pending" ] &&
    [ "$(cat "$DIR/restore-on-start.pending" 2>/dev/null)" = "$(tm display-message -p '#{pid} #{start_time}' 2>/dev/null)" ]; then
    return 0
  fi
  pid=$(cat "$DIR/restoring" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null
}

# A change: a fresh token (time and pid) in autosave.request; its time starts the quiet period.
request() {
  put "$DIR/autosave.request" "$(date +%s) $$"
}

take_lock() {
  if mkdir "$LOCK" 2>/dev/null; then
    echo "$$" >"$LOCK/pid"
    return 0
  fi
  holder=$(cat "$LOCK/pid" 2>/dev/null) || holder=""
  # A saver that died (killed, machine crashed) leaves its lock: take it over.
  if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
    rm -rf "$LOCK"
    mkdir "$LOCK" 2>/dev/null && echo "$$" >"$LOCK/pid" && return 0
  fi
  return 1
}

save() {
  delay=$(opt @helios-recover-autosave-delay 2)
  case "$delay" in '' | *[!0-9]*) delay=2 ;; esac
  while :; do
    # Quiet period: no change for $delay seconds.
    while :; do
      token=$(cat "$DIR/autosave.request" 2>/dev/null) || token="0 0"
      [ $(($(date +%s) - ${token%% *})) -ge "$delay" ] && ! restoring && break
      sleep 1
    done
    # No server (it was killed or crashed): nothing to save, and no request to wait for.
    if ! server_up || [ ! -f "$DIR/autosave.request" ]; then
      rm -rf "$LOCK"
      break
    fi
    helios checkpoint --autosave >"$DIR/autosave.out" 2>&1
    status=$?
    put "$DIR/autosave.result" "$(date +%s) $status $token"
    if [ "$status" -ne 0 ]; then
      # One message per new problem, not one per save.
      problem=$(first_line "$DIR/autosave.out")
      if [ "$problem" != "$(cat "$DIR/autosave.problem" 2>/dev/null)" ]; then
        put "$DIR/autosave.problem" "$problem"
        say "" "helios-recover: autosave: $problem"
      fi
    else
      rm -f "$DIR/autosave.problem"
    fi
    # A change during the save: save again. Else let go, and look once more (a change between
    # the look and the letting go found the lock taken and left the save to us).
    [ "$(cat "$DIR/autosave.request" 2>/dev/null)" != "$token" ] && continue
    rm -rf "$LOCK"
    [ "$(cat "$DIR/autosave.request" 2>/dev/null)" != "$token" ] && take_lock && continue
    break
  done
}

interval() {
  server_pid=$(tm display-message -p '#{pid}' 2>/dev/null) || exit 0
  put "$DIR/interval.pid" "$$ $server_pid"
  waited=0
  while [ "$(cat "$DIR/interval.pid" 2>/dev/null)" = "$$ $server_pid" ]; do
    minutes=$(opt @helios-recover-autosave-interval 15)
    case "$minutes" in '' | *[!0-9]* | 0) break ;; esac
    [ "$(opt @helios-recover-autosave on)" = on ] || break
    sleep 5
    waited=$((waited + 5))
    # The server that started this loop is gone (or another took its socket): end.
    [ "$(tm display-message -p '#{pid}' 2>/dev/null)" = "$server_pid" ] || break
    if [ "$waited" -ge $((minutes * 60)) ]; then
      waited=0
      request
      take_lock && save
    fi
  done
  [ "$(cat "$DIR/interval.pid" 2>/dev/null)" = "$$ $server_pid" ] && rm -f "$DIR/interval.pid"
  exit 0
}

case "$1" in
  change)
    request
    take_lock && save
    ;;
  interval) interval ;;
  *)
    echo "helios-recover: unknown autosave mode '$1' (change or interval)" >&2
    exit 1
    ;;
esac
exit 0
