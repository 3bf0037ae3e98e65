#!/usr/bin/env bash
# Speed at real line lengths, ours and the peers in one run: `fewshot bench classify --lines` (a
# classifier from examples/support.tsv, every line piped through `fewshot classify`, end to end;
# 1 and 2 threads, batch 64 and, with BATCHES="64,1", one line at a time) for each model, then
# all-MiniLM-L6-v2 under onnxruntime and fastText's predict (trained on 90% of the same lines,
# labelled by source) on the same lines. RUNS (default 3) timed runs per setting.
#
#   benchmarks/classify_speed.sh [MODEL...]        (default: default accurate)
#
# Lines: 2,000 lines of 40-80 words from corpora/prose.tsv (benchmarks/long_lines.py).
# The peers need the peer rig (bash ../shared/peers/setup.sh); PEERS_DIR / PEERS_PY override where it is.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FEWSHOT:-$(make -s print-bin)}
PEERS_DIR=${PEERS_DIR:-../shared/peers}
PEERS_PY=${PEERS_PY:-$PEERS_DIR/.venv/bin/python}
lines=$(mktemp)
labelled=$(mktemp --suffix=.tsv)
trap 'rm -f "$lines" "$labelled"' EXIT
python3 benchmarks/long_lines.py --lines 2000 > "$lines"
python3 benchmarks/long_lines.py --lines 2000 --labels > "$labelled"
[ $# -ge 1 ] || set -- default accurate
for model in "$@"; do
  "$BIN" bench classify --model "$model" --lines "$lines" --runs "${RUNS:-3}" --threads 1,2 --batch "${BATCHES:-64}"
  echo
done
if [ -x "$PEERS_PY" ]; then
  PEERS=$PEERS_DIR "$PEERS_PY" benchmarks/minilm_lines.py "$lines" --threads 1,2 --runs 3
  mkdir -p "$PEERS_DIR/results"
  "$PEERS_PY" "$PEERS_DIR/bench_fasttext.py" "$labelled" --runs 5 --out /dev/stdout | grep '^bench=fasttext_predict' || true
else
  echo "peers skipped: $PEERS_PY not found (bash $PEERS_DIR/setup.sh)"
fi
