#!/bin/sh
# Restore on server start: run once, by the session-created hook that load.sh set when the
# plugin was loaded into a server without sessions. Recovers in the background unless the
# server already has sessions beside the one its start created, or the newest checkpoint holds
# no session (or there is none).
set -u
SOCKET=${1:?usage: restore-on-start.sh SOCKET}
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"
DIR=$(rundir) || exit 1
tm set-hook -gu "session-created[48]" 2>/dev/null

# Claim the pending restore (one claimant wins the rename) and check it is this server's.
mv "$DIR/restore-on-start.pending" "$DIR/restore-on-start.$$" 2>/dev/null || exit 0
pending=$(cat "$DIR/restore-on-start.$$")
rm -f "$DIR/restore-on-start.$$"
server=$(tm display-message -p '#{pid} #{start_time}') || exit 0
[ "$pending" = "$server" ] || exit 0
put "$DIR/restore-on-start" "$server"
# Autosave waits while this runs: a save of the start-up session alone, taken before recover
# holds the workspace, would replace the checkpoint being restored.
put "$DIR/restoring" "$$"
trap 'rm -f "$DIR/restoring"' EXIT

skip() {
  put "$DIR/restore-on-start.result" "skipped: $1"
  say "" "helios-recover: restore on start skipped: $1"
  exit 0
}
sessions=$(tm list-sessions -F '#{session_id}' 2>/dev/null | wc -l)
[ "$sessions" -le 1 ] || skip "the server already has $sessions sessions"

status=$(helios status --json 2>&1) || skip "$(printf '%s\n' "$status" | sed -n '1s/^helios-recover: //p')"
# The newest valid checkpoint's session count ("checkpoint":{... "sessions":N ...}).
count=$(printf '%s\n' "$status" | sed -n 's/.*"checkpoint":{[^}]*"sessions":\([0-9][0-9]*\).*/\1/p')
[ -n "$count" ] || skip "no checkpoint"
[ "$count" -gt 0 ] || skip "the newest checkpoint has no session"

sh "$PLUGIN_ROOT/plugin/action.sh" restore "$SOCKET"
put "$DIR/restore-on-start.result" "$(cat "$DIR/restore.result" 2>/dev/null)"
