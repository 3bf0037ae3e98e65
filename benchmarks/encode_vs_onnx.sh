#!/usr/bin/env bash
# The encoder against onnxruntime in one run: `fewshot bench encode` (all-MiniLM-L6-v2 shape, weights
# packed once and per product, 16/64/128 tokens, batch 32 and 1, 1 and 2 threads), then the peer
# `bench_minilm.py --backends onnx` (16 and 64 tokens) on WordNet glosses joined six at a time (the
# peer needs texts of 64+ tokens), repeated RUNS times (default 2) so that medians can be taken.
#   usage: benchmarks/encode_vs_onnx.sh [RUNS]
# The peer needs the peer rig (bash ../shared/peers/setup.sh); PEERS_PY / PEERS_DIR override where it is.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-2}
BIN=${FEWSHOT:-$(make -s print-bin)}
PEERS_DIR=${PEERS_DIR:-../shared/peers}
PEERS_PY=${PEERS_PY:-$PEERS_DIR/.venv/bin/python}
long=$(mktemp)
trap 'rm -f "$long"' EXIT
cut -f2 corpora/domains.tsv | paste -d' ' - - - - - - | sed 's/^/glosses\t/' > "$long"
for run in $(seq "$runs"); do
    echo "== run $run"
    "$BIN" bench encode
    if [ -x "$PEERS_PY" ]; then
        mkdir -p "$PEERS_DIR/results"
        PEERS_TSVS=$long "$PEERS_PY" "$PEERS_DIR/bench_minilm.py" --backends onnx | grep 'bench=' || true
    else
        echo "peer skipped: $PEERS_PY not found (bash $PEERS_DIR/setup.sh)"
    fi
done
