#!/usr/bin/env bash
# Writes Tests/FewShotCLITests/HelpSnapshots/: the --help of fewshot and of each command, as the
# built binary prints them. Run after changing a command's options or help on purpose; the CLI
# test `helpMatchesItsSnapshot` fails until the snapshots agree with the binary again.
#   usage: scripts/regenerate_help_snapshots.sh [path/to/fewshot]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-$(make -s print-bin)}
out=Tests/FewShotCLITests/HelpSnapshots
mkdir -p "$out"
"$bin" --help > "$out/fewshot.txt"
for command in $("$bin" --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 {print $1}'); do
    "$bin" "$command" --help > "$out/$command.txt"
done
ls "$out"
