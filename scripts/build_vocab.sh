#!/usr/bin/env bash
# Rebuilds the shipped vocabulary vocab/vocab.txt from the meta-train text of the shipped
# corpora (labels whose split is "train"; val and test topics never shape the vocabulary).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${FEWSHOT:-$(make -s print-bin)}"
for family in domains categories; do
  awk -F'\t' 'FNR == NR { if ($2 == "train") train[$1] = 1; next } ($1 in train) { print $2 }' \
    "corpora/$family.split" "corpora/$family.tsv"
done | "$bin" vocab --size 8192 -o vocab/vocab.txt
