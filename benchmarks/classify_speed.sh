#!/usr/bin/env bash
# The speed ladder, ours and the peers in one run, on the same lines: `fewshot bench classify
# --lines` (a classifier from examples/support.tsv, every line piped through `fewshot classify`,
# end to end, start-up included; 1 and 2 threads, batch 64 and, with BATCHES="64,1", one line at
# a time) for each model, then all-MiniLM-L6-v2 under onnxruntime, fastText's predict (trained on
# 90% of the same lines, labelled by source, timed on the rest) and TF-IDF + nearest centroid
# (scikit-learn, benchmarks/tfidf_lines.py). RUNS (default 3) timed runs per setting.
#
#   benchmarks/classify_speed.sh [MODEL...]        (default: fast default accurate)
#
# Lines: 2,000 lines of 40-80 words from corpora/prose.tsv, then 2,000 single sentences of 3-12
# words (benchmarks/long_lines.py [--short]); LENGTHS="long" or "short" runs one of them. Each
# model gets TOTAL lines per run (default 20,000; the file repeated) so that start-up weighs
# little even for the fastest rung.
# The peers need the peer rig (bash ../shared/peers/setup.sh); PEERS_DIR / PEERS_PY override where it is.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FEWSHOT:-$(make -s print-bin)}
PEERS_DIR=${PEERS_DIR:-../shared/peers}
PEERS_PY=${PEERS_PY:-$PEERS_DIR/.venv/bin/python}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
[ $# -ge 1 ] || set -- fast default accurate
for length in ${LENGTHS:-long short}; do
  flag=""
  [ "$length" = short ] && flag="--short"
  lines=$scratch/$length.txt
  labelled=$scratch/$length.tsv
  python3 benchmarks/long_lines.py --lines 2000 $flag > "$lines"
  python3 benchmarks/long_lines.py --lines 2000 --labels $flag > "$labelled"
  echo "## $length lines"
  echo
  for model in "$@"; do
    total=${TOTAL:-20000}
    # accurate runs about 100 long lines/s: its usual 5,000 lines are enough.
    [ "$model" = accurate ] && total=${TOTAL:-5000}
    "$BIN" bench classify --model "$model" --lines "$lines" --total "$total" --runs "${RUNS:-3}" --threads 1,2 --batch "${BATCHES:-64}"
    echo
  done
  if [ -x "$PEERS_PY" ]; then
    PEERS=$PEERS_DIR "$PEERS_PY" benchmarks/minilm_lines.py "$lines" --threads 1,2 --runs 3
    "$PEERS_PY" benchmarks/tfidf_lines.py examples/support.tsv "$lines" --runs 3
    "$PEERS_PY" "$PEERS_DIR/bench_fasttext.py" "$labelled" --runs 5 --out /dev/stdout | grep '^bench=fasttext_predict' || true
  else
    echo "peers skipped: $PEERS_PY not found (bash $PEERS_DIR/setup.sh)"
  fi
  echo
done
