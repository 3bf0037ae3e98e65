#!/usr/bin/env bash
# SetFit against our classifiers on the val labels of labelled corpora (issue 24, part 3), on the very same
# episodes: --ways (default 5), --shots (default 5), 15 queries, the first --episodes (default 5) episodes of
# the peer rig's list for each corpus, seed 1234. Texts are cut to their first 64 words for every method
# alike, since SetFit fine-tunes on pairs of them on two cores (about a minute per 5-way episode).
#
#   benchmarks/against_setfit.sh [--episodes N] [--ways N] [--shots K] [--setting 'TRAIN-OPTIONS']... [--ours-only] [CORPUS...]
#
# CORPUS: a name of corpora/ (default: the eight topic genres; `sentiment` for IMDB sentences, with
# --ways 2 --shots 8). Rows: the peer rig's TF-IDF, frozen all-MiniLM-L6-v2 prototypes and logistic
# regression, and SetFit 1.2 (MiniLM body, 20 pair iterations, 1 epoch, logistic head); then `fewshot train
# TRAIN-OPTIONS` + `fewshot classify` per episode for each --setting (default: the four below). The seconds
# are for all the episodes: training plus classifying the queries (ours: loading the model as well). Needs
# the peer rig with its torch environment: `bash ../shared/peers/setup.sh torch`. --ours-only skips the
# peers' rows (and torch): our settings alone, on the same episodes, e.g. after a model changes.
set -euo pipefail
cd "$(dirname "$0")/.."
episodes=5 ways=5 shots=5 peers=yes
settings=()
while [ $# -gt 0 ]; do
  case $1 in
    --episodes) episodes=$2; shift 2 ;;
    --ways) ways=$2; shift 2 ;;
    --shots) shots=$2; shift 2 ;;
    --setting) settings+=("$2"); shift 2 ;;
    --ours-only) peers=no; shift ;;
    *) break ;;
  esac
done
corpora=${*:-domains categories bible fortunes trivia libreoffice gnome chitchat}
PEERS=$(cd "${PEERS:-../shared/peers}" && pwd)
venvs=.venv setup="bash $PEERS/setup.sh"
if [ $peers = yes ]; then venvs+=" .venv-torch" setup+=" torch"; fi
for venv in $venvs; do
  [ -x "$PEERS/$venv/bin/python" ] || { echo "error: no $PEERS/$venv: run '$setup'" >&2; exit 1; }
done
bin=${FEWSHOT:-$(make -s print-bin)}
BIN=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ${#settings[@]} -eq 0 ]; then
  settings=(
    "--model default"
    "--model default --finetune-steps 20"
    "--model accurate"
    "--model accurate --finetune-steps 20 --finetune-layers 2 --finetune-choice always"
  )
fi
for corpus in $corpora; do
  # The corpus's train and val labels (train labels fit the TF-IDF), texts cut to 64 words.
  awk -F'\t' 'NR == FNR { split_of[$1] = $2; next } split_of[$1] == "train" || split_of[$1] == "val" {
      n = split($2, w, " "); t = w[1]; for (i = 2; i <= n && i <= 64; i++) t = t " " w[i]; print $1 "\t" t }' \
    "corpora/$corpus.split" "corpora/$corpus.tsv" >"$work/$corpus.tsv"
  awk -F'\t' '$2 == "val" { print $1 }' "corpora/$corpus.split" >"$work/$corpus.val"
  common=(--test-labels "$work/$corpus.val" --ways "$ways" --shots "$shots" --queries 15 --episodes "$episodes" --seed 1234 --threads 2
    --cache-dir "$work/cache")
  echo "## $corpus"
  # SetFit's trainer writes checkpoints/ into the working directory: run it in the scratch one.
  if [ $peers = yes ]; then
    (cd "$work" && "$PEERS/.venv-torch/bin/python" "$PEERS/fewshot_eval.py" "$work/$corpus.tsv" "${common[@]}" \
      --methods tfidf,proto,logreg,setfit --setfit-episodes "$episodes" 2>/dev/null | grep -v '^{')
  fi
  for setting in "${settings[@]}"; do
    echo "# fewshot train $setting"
    "$PEERS/.venv/bin/python" "$PEERS/fewshot_eval.py" "$work/$corpus.tsv" "${common[@]}" --methods external \
      --external-episodes "$episodes" \
      --external-cmd "'$BIN' train $setting --examples {support} -o '$work/e.fsc' >/dev/null 2>&1 && '$BIN' classify '$work/e.fsc'" \
      2>/dev/null | grep '^external'
  done
done
