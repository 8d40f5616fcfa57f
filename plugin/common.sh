# shellcheck shell=sh
# Shared by the tmux plugin's scripts (sourced, never run). Every script is given the socket
# path of the tmux server it works for (SOCKET) and talks to that server only.

# The package root (the folder holding helios-recover.tmux, plugin/ and dist/).
PLUGIN_ROOT=$(cd "$(dirname "$0")/.." && pwd)

# tmux on the plugin's server.
tm() {
  tmux -S "$SOCKET" "$@"
}

# opt NAME DEFAULT: a global @option of the server, or DEFAULT when it is unset or empty.
opt() {
  value=$(tm show-options -gqv "$1" 2>/dev/null) || value=""
  if [ -n "$value" ]; then printf '%s\n' "$value"; else printf '%s\n' "$2"; fi
}

# A message in the status line of CLIENT (or of the server's current client): shown 4 s.
# The text is a tmux format, so every # is doubled.
say() {
  text=$(printf '%s' "$2" | sed 's/#/##/g')
  if [ -n "$1" ]; then
    tm display-message -d 4000 -c "$1" "$text" 2>/dev/null ||
      tm display-message -d 4000 "$text" 2>/dev/null || true
  else
    tm display-message -d 4000 "$text" 2>/dev/null || true
  fi
}

# The plugin's runtime dir for this server: beside its socket (tmux's own dir, 0700, for -L
# sockets), created private; nothing here outlives what it is for (locks, pid files, results).
rundir() {
  dir="$SOCKET.helios-recover"
  if [ ! -d "$dir" ]; then
    (umask 077 && mkdir "$dir") 2>/dev/null || [ -d "$dir" ] || return 1
  fi
  # Never follow a planted link or use a dir of another user.
  if [ -L "$dir" ] || [ ! -O "$dir" ]; then
    echo "helios-recover: $dir is not a private dir of this user" >&2
    return 1
  fi
  printf '%s\n' "$dir"
}

# Writes $2 to file $1 atomically (a fresh name, then rename).
put() {
  printf '%s\n' "$2" >"$1.$$" && mv -f "$1.$$" "$1"
}

# helios ARGS...: runs the CLI on this server, with the workspace and state dir options.
# The CLI is @helios-recover-bin (a .js file runs with node), else helios-recover on PATH, else
# the package's own dist/bin/helios-recover.js beside the plugin, with node.
helios() {
  workspace=$(opt @helios-recover-workspace "")
  state_dir=$(opt @helios-recover-state-dir "")
  set -- "$@" -S "$SOCKET"
  [ -z "$workspace" ] || set -- "$@" --workspace "$workspace"
  [ -z "$state_dir" ] || set -- "$@" --state-dir "$state_dir"
  bin=$(opt @helios-recover-bin "")
  if [ -n "$bin" ]; then
    case "$bin" in
      *.js | *.mjs) node "$bin" "$@" ;;
      *) "$bin" "$@" ;;
    esac
  elif command -v helios-recover >/dev/null 2>&1; then
    helios-recover "$@"
  elif [ -f "$PLUGIN_ROOT/dist/bin/helios-recover.js" ]; then
    node "$PLUGIN_ROOT/dist/bin/helios-recover.js" "$@"
  else
    echo "helios-recover: CLI not found: set @helios-recover-bin, put helios-recover on PATH, or run npm run build in $PLUGIN_ROOT" >&2
    return 1
  fi
}

# The first line of a CLI's error output, for a status message.
first_line() {
  sed -n '/./{s/^helios-recover: //;p;q;}' "$1"
}
