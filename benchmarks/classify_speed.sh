#!/usr/bin/env bash
# Speed at real line lengths, ours and the peer in one run: `fewshot bench classify --lines` (a
# classifier from examples/support.tsv, every line piped through `fewshot classify`, end to end)
# for each model, then all-MiniLM-L6-v2 under onnxruntime on the same lines.
#
#   benchmarks/classify_speed.sh [MODEL...]        (default: default accurate)
#
# Lines: 2,000 lines of 40-80 words from corpora/prose.tsv (benchmarks/long_lines.py).
# The peer needs the peer rig (bash ../shared/peers/setup.sh); PEERS_PY overrides its Python.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FEWSHOT:-$(make -s print-bin)}
PEERS_PY=${PEERS_PY:-../shared/peers/.venv/bin/python}
lines=$(mktemp)
trap 'rm -f "$lines"' EXIT
python3 benchmarks/long_lines.py --lines 2000 > "$lines"
[ $# -ge 1 ] || set -- default accurate
for model in "$@"; do
  "$BIN" bench classify --model "$model" --lines "$lines" --runs 3
  echo
done
if [ -x "$PEERS_PY" ]; then
  "$PEERS_PY" benchmarks/minilm_lines.py "$lines" --threads 1,2 --runs 3
else
  echo "peer skipped: $PEERS_PY not found (bash ../shared/peers/setup.sh)"
fi
