#!/usr/bin/env bash
# Active learning as a user lives it, on the test topics of every labelled genre of corpora/: start
# from 1 example per label (5-way), 4 rounds that each add the true labels of 5 lines picked from a
# pool of 20 unlabelled lines per label, by each strategy of 'fewshot suggest' and by random picks;
# accuracy on 15 other lines per label after every round, 200 sessions per genre, seed 0, the same
# sessions for every strategy. Prints eval's table (and the mean gain over genres), then draws the
# curve, mean over genres, as docs/active-learning.svg.
#   usage: benchmarks/active_learning.sh [MODEL]        (default: default)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FEWSHOT:-$(make -s print-bin)}
MODEL=${1:-default}
EPISODES=${EPISODES:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$BIN" index corpora/domains.tsv corpora/categories.tsv corpora/bible.tsv corpora/fortunes.tsv corpora/trivia.tsv \
  corpora/libreoffice.tsv corpora/gnome.tsv corpora/chitchat.tsv --max-length 128 -o "$work/genres.fsi" >&2
"$BIN" eval --model "$MODEL" --index "$work/genres.fsi" --split test --family each --shots 1 --active 4 --active-batch 5 \
  --active-pool 20 --queries 15 --episodes "$EPISODES" --seed 0 | tee "$work/active.md"
python3 benchmarks/active_curve.py "$work/active.md" -o docs/active-learning.svg --title "fewshot suggest vs random picks ($MODEL)"
