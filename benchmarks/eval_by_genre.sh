#!/usr/bin/env bash
# The accuracy table by genre: every model on the test topics of every labelled corpus family (WordNet
# domains, Bible topics, fortunes, trivia, LibreOffice help, GNOME help, chats), 5-way, 15 queries, 1- and 5-shot, the same episodes
# for every model (seed 0). Prints one Markdown table; the per-model tables go to stderr.
# An encoder whose file carries a lexicon is scored as 'fewshot train' scores it (the hybrid, its
# own weight W) and again with the embeddings alone (--lexical 0): two rows.
#
#   benchmarks/eval_by_genre.sh [--episodes N] MODEL...     (MODEL: tfidf, default, accurate, a file or a BERT dir)
#
# Models with the MiniLM vocabulary re-tokenize the index's stored texts, so one index serves all.
set -euo pipefail
cd "$(dirname "$0")/.."
episodes=1000
if [ "${1:-}" = --episodes ]; then episodes=$2; shift 2; fi
[ $# -ge 1 ] || { echo "usage: $0 [--episodes N] MODEL..." >&2; exit 2; }
BIN=${FEWSHOT:-$(make -s print-bin)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$BIN" index corpora/domains.tsv corpora/categories.tsv corpora/bible.tsv corpora/fortunes.tsv corpora/trivia.tsv \
  corpora/libreoffice.tsv corpora/gnome.tsv corpora/chitchat.tsv --max-length 128 -o "$work/genres.fsi" >&2
families="domains bible fortunes trivia libreoffice gnome chitchat"
header="| model |"; rule="|---|"
for f in $families; do header+=" $f 1-shot | $f 5-shot |"; rule+="---|---|"; done
rows=()
# The row of one eval table (`$work/table`): accuracy ± CI of each family and shot count.
table_row() {
  local acc=4 row=""
  if grep -q '| lexical W |' "$work/table"; then acc=5; fi
  for f in $families; do
    for k in 1 5; do
      row+=" $(awk -F'|' -v f=" $f " -v k=" $k " -v a="$acc" '$2 == f && $3 == k { gsub(/ /, "", $a); gsub(/ /, "", $(a+1)); printf "%s ± %s", $a, $(a+1) }' "$work/table") |"
    done
  done
  echo "$row"
}
for model in "$@"; do
  "$BIN" eval --model "$model" --index "$work/genres.fsi" --split test --family each --shots 1,5 --episodes "$episodes" --seed 0 \
    | tee "$work/table" >&2
  if grep -q '| lexical W |' "$work/table"; then
    weight=$(awk -F'|' 'NR > 2 && $4 ~ /[0-9]/ { gsub(/ /, "", $4); print $4; exit }' "$work/table")
    rows+=("| $model, hybrid W = $weight |$(table_row)")
    "$BIN" eval --model "$model" --index "$work/genres.fsi" --split test --family each --shots 1,5 --episodes "$episodes" --seed 0 \
      --lexical 0 | tee "$work/table" >&2
    rows+=("| $model, embeddings alone |$(table_row)")
  else
    rows+=("| $model |$(table_row)")
  fi
done
echo "5-way, 15 queries, $episodes episodes per cell, seed 0, test topics of each family (accuracy % ± 95% CI)"
echo
echo "$header"
echo "$rule"
printf '%s\n' "${rows[@]}"
