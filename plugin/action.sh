#!/bin/sh
# The key bindings: `action.sh save|restore SOCKET [CLIENT]` checkpoints or recovers the
# workspace of the tmux server at SOCKET and shows the result in CLIENT's status line.
set -u
SOCKET=${2:?usage: action.sh save|restore SOCKET [CLIENT]}
CLIENT=${3:-}
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

dir=$(rundir) || exit 1
out="$dir/$1.$$.out"
err="$dir/$1.$$.err"
trap 'rm -f "$out" "$err"' EXIT

# summary KIND STATUS: one line from the CLI's --json output (node reads it; the CLI itself
# runs on node), else the first line it printed.
summary() {
  # shellcheck disable=SC2016 # JavaScript, not shell: its ${...} are template literals
  line=$(KIND=$1 STATUS=$2 node -e '
    const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
    const docs = lines.map((l) => { try { return JSON.parse(l); } catch { return {}; } });
    const n = (k, word) => `${k} ${word}${k === 1 ? "" : "s"}`;
    if (process.env.KIND === "save") {
      const r = docs[docs.length - 1] || {};
      if (!r.ok) { if (r.reason) console.log(r.reason); process.exit(0); }
      let text = `checkpoint ${r.generation} written (${n(r.sessions.length, "session")})`;
      if (r.unrecorded && r.unrecorded.length) text += `, not recorded: ${r.unrecorded.join("; ")}`;
      console.log(text);
    } else {
      const done = docs.find((d) => d.topic === "recovery.completed");
      const report = docs.find((d) => d.type === "report");
      if (!done) { if (report && report.failureReason) console.log(report.failureReason); process.exit(0); }
      const p = done.payload;
      const live = report ? report.sessions.filter((s) => s.status === "reattached").length : 0;
      const issues = process.env.STATUS === "3" ? " with issues (helios-recover status)" : "";
      console.log(`recovered${issues}: ${p.restored - live} restored, ${live} live, ${p.failed} failed`);
    }' <"$out" 2>/dev/null)
  [ -n "$line" ] || line=$(first_line "$err")
  [ -n "$line" ] || line=$(first_line "$out")
  printf '%s\n' "$line"
}

case "$1" in
  save)
    say "$CLIENT" "helios-recover: checkpointing..."
    helios checkpoint --json >"$out" 2>"$err"
    status=$?
    message=$(summary save "$status")
    ;;
  restore)
    say "$CLIENT" "helios-recover: recovering..."
    helios recover --no-wait --json >"$out" 2>"$err" </dev/null
    status=$?
    message=$(summary restore "$status")
    ;;
  *)
    echo "helios-recover: unknown plugin action '$1' (save or restore)" >&2
    exit 1
    ;;
esac
say "$CLIENT" "helios-recover: $message"
put "$dir/$1.result" "$status $message"
exit "$status"
