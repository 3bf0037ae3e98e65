#!/usr/bin/env bash
# Tokenizer throughput, ours and HuggingFace tokenizers' (the peer), on the same text and the
# same vocabulary (all-MiniLM-L6-v2's vocab.txt), one thread, medians of 5 runs.
#   benchmarks/tokenizer.sh [TEXT_FILE]    (default: the texts of the shipped corpora)
# Needs the peer environment: bash ../shared/peers/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
peers="${PEERS_DIR:-../shared/peers}"
python="$peers/.venv/bin/python"
[ -x "$python" ] || { echo "error: run 'bash $peers/setup.sh' first (peer environment)" >&2; exit 1; }
vocab="Tests/TokenizationTests/Fixtures/minilm_vocab.txt"
text="${1:-}"
if [ -z "$text" ]; then
  text="$(mktemp --suffix=.txt)"
  cut -f2 corpora/domains.tsv corpora/categories.tsv > "$text"
fi
make -s build >/dev/null
bin="$(make -s print-bin)"
echo "## fewshot (Swift), 1 thread"
"$bin" bench tokenize --vocab "$vocab" --runs 5 "$text"
echo
echo "## HuggingFace tokenizers (Rust), encode loop and encode_batch, 1 thread"
"$python" "$peers/bench_tokenizer.py" --text "$text" --runs 5 --modes encode,batch-1t --out ""
