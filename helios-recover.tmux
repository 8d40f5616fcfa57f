#!/bin/sh
# helios-recover's tmux plugin. TPM runs every executable *.tmux file of a plugin; without TPM:
#   run-shell /path/to/helios-recover/helios-recover.tmux
# Options, bindings and autosave: plugin/README.md and README.md ("tmux plugin").
exec sh "$(cd "$(dirname "$0")" && pwd)/plugin/load.sh"
