#!/usr/bin/env bash
# Regenerates every tokenizer fixture from the pinned reference (HuggingFace tokenizers 0.23.3):
#   Sources/Tokenization/BertCharacterClasses.swift, Tests/TokenizationTests/Fixtures/*.
# Needs network access to PyPI once (the venv is cached in scripts/.venv-reference) and the
# corpora in corpora/. The small vocabulary is made by our own trainer, so the fixtures also
# pin down its output.
set -euo pipefail
cd "$(dirname "$0")/.."
python="$(scripts/reference_env.sh)"
"$python" scripts/make_bert_unicode_tables.py
make -s build
bin="$(make -s print-bin)"
cut -f2 corpora/domains.tsv | "$bin" vocab --size 2000 -o Tests/TokenizationTests/Fixtures/small_vocab.txt
"$python" scripts/make_tokenizer_fixtures.py
